from cqctp.links import base_url
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.functional import lazy

from . import membership_views, views
from .forms import PasswordResetRequestForm

app_name = "members"

urlpatterns = [
    path("connexion/", views.SignInView.as_view(), name="login"),
    path("deconnexion/", views.SignOutView.as_view(), name="logout"),
    path("langue/", views.email_language, name="language"),
    path(
        "mot-de-passe/",
        auth_views.PasswordResetView.as_view(
            template_name="members/password_reset.html",
            email_template_name="members/emails/password_reset.txt",
            subject_template_name="members/emails/password_reset_subject.txt",
            form_class=PasswordResetRequestForm,
            success_url=reverse_lazy("members:password_reset_done"),
            # The link in the e-mail: the public address (read when the e-mail is written).
            extra_email_context={"base_url": lazy(base_url, str)()},
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("demande-de-compte/", views.sign_up_request, name="sign_up"),
    path("demande-de-compte/recue/", views.sign_up_received, name="sign_up_received"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("inviter/", views.invite_colleague, name="invite"),
]

# An organisation applies to join the coalition (members/membership_views.py).
urlpatterns += [
    path("adhesion/", membership_views.membership_application, name="membership_apply"),
    path("adhesion/recue/", membership_views.membership_received, name="membership_received"),
]
