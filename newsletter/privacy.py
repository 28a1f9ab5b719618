"""The newsletter's part of a member's personal data (Law 25): the subscription with the
address of their account, in their data export, and erased when they close their account.
Registered with trainings.privacy from NewsletterConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from trainings.privacy import PersonalDataSection, iso, register_personal_data

from .models import NewsletterDelivery, Subscriber


def subscriptions_of(user):
    if not user.email:
        return Subscriber.objects.none()
    return Subscriber.objects.filter(email__iexact=user.email.strip())


def export(user):
    records = []
    for subscriber in subscriptions_of(user):
        received = (
            NewsletterDelivery.objects.filter(subscriber=subscriber)
            .select_related("sending__issue")
            .order_by("created", "pk")
        )
        records.append(
            {
                "email": subscriber.email,
                "language": subscriber.language,
                "status": subscriber.status,
                "consent_text": subscriber.consent_text,
                "consented_at": iso(subscriber.consented_at),
                "confirmed_at": iso(subscriber.confirmed_at),
                "unsubscribed_at": iso(subscriber.unsubscribed_at),
                "issues_received": [
                    {"issue": copy.sending.issue.title, "written_at": iso(copy.created)}
                    for copy in received
                ],
            }
        )
    return records


def erase(user):
    """Delete the subscription (its copies go with it); the outbox's e-mails to the address
    are deleted by close_account itself."""
    return subscriptions_of(user).delete()[1].get(Subscriber._meta.label, 0)


def register():
    register_personal_data(
        PersonalDataSection(
            name="newsletter_subscriptions",
            export=export,
            erase=erase,
            description=_(
                "Your newsletter subscription with this address, its consent and the list of "
                "issues sent to you."
            ),
        )
    )
