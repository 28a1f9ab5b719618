"""The newsletter's side of the Wagtail admin: a "Newsletter" menu (subscribers, sendings) and
"Send to subscribers" on a live issue, in its page header and in the page listing's menu, for
whoever may send (`newsletter.add_newslettersending`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .admin_views import SEND_PERMISSION, NewsletterViewSetGroup
from .models import NewsletterIssuePage

viewset_group = NewsletterViewSetGroup()


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return viewset_group


def send_button(page, user, priority):
    if page.specific_class is not NewsletterIssuePage or not page.live:
        return
    if not user.has_perm(SEND_PERMISSION):
        return
    url = reverse("newsletter_sendings:send", args=[page.pk])
    yield Button(_("Send to subscribers"), url, icon_name="mail", priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_send_button(page, user, view_name, next_url=None):
    yield from send_button(page, user, priority=75)


@hooks.register("register_page_listing_more_buttons")
def page_listing_send_button(page, user, next_url=None):
    yield from send_button(page, user, priority=75)
