from django.urls import path

from . import account_views, privacy_views

app_name = "enrolments"

urlpatterns = [
    path("", account_views.my_trainings, name="my_trainings"),
    path("inscription/<id:session_id>/", account_views.enrol_in_session, name="enrol"),
    path("inscriptions/<id:pk>/annuler/", account_views.cancel_enrolment, name="cancel"),
    path("inscriptions/<id:pk>/place-offerte/", account_views.offer, name="offer"),
    path(
        "inscriptions/<id:pk>/refuser-la-place/", account_views.decline_offer, name="decline_offer"
    ),
    path(
        "inscriptions/<id:pk>/quitter-la-liste-d-attente/",
        account_views.leave_waiting_list,
        name="leave_waiting_list",
    ),
    path(
        "inscriptions/<id:pk>/calendrier.ics",
        account_views.enrolment_calendar,
        name="enrolment_calendar",
    ),
    path("calendrier/<str:token>.ics", account_views.private_calendar, name="private_calendar"),
    path("calendrier/nouvelle-adresse/", account_views.renew_calendar, name="renew_calendar"),
    path("mes-donnees.json", privacy_views.export_my_data, name="export"),
    path("fermer-mon-compte/", privacy_views.close_my_account, name="close_account"),
]
