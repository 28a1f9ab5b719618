"""Under i18n_patterns at "infolettre/" (site/urls.py): French addresses, English under /en/.
The archive itself is a Wagtail page; these are the addresses that are not pages."""

from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("verifiez-vos-courriels/", views.sign_up_received, name="sign_up_received"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
