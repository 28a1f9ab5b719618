"""/certificats/ (and /en/certificats/): the public verification page, the address a
certificate's QR code holds (the code in the path), and the holder's download."""

from django.urls import path, re_path

from . import certificate_views

app_name = "certificates"

urlpatterns = [
    path("", certificate_views.verify, name="verify"),
    path("telecharger/<id:pk>/", certificate_views.download, name="download"),
    # Any short text: a mistyped or truncated code gets the page that says so, not a bare 404.
    re_path(r"^(?P<code>[0-9A-Za-z-]{1,40})/$", certificate_views.verify, name="verify_code"),
]
