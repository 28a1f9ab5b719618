"""Builders for the roles and workflow tests: people in each role, a catalogue with live and
draft trainings of two organisations, and what a browser sends back for an admin page form."""

from django.contrib.auth.models import Group
from django.test import Client

from members.models import Membership
from tests import factories as f
from trainings.models import TrainingPage


def person(email, role=None, organisation=None, **fields):
    """An account in `role` (a group of committee/roles.py), a member of `organisation`."""
    user = f.user(email, **fields)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation)
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def draft_training(parent=None, owner=None, **fields):
    """A training never published: only a draft revision, as an editor's "Save draft" leaves."""
    parent = parent or f.catalogue()
    number = TrainingPage.objects.count() + 1
    fields.setdefault("title", f"Brouillon {number}")
    fields.setdefault("slug", f"brouillon-{number}")
    fields.setdefault("summary", "Un brouillon.")
    fields.setdefault("duration_hours", 3)
    page = TrainingPage(live=False, owner=owner, **fields)
    parent.add_child(instance=page)
    page.save_revision(user=owner)
    return TrainingPage.objects.get(pk=page.pk)


def form_data(form):
    """What a browser sends back for an unbound Wagtail page form and its inline formsets
    (enough for pages whose StreamFields are empty)."""
    from django import forms
    from wagtail.blocks.base import BlockWidget

    data = {}

    def add(bound_form):
        for name, field in bound_form.fields.items():
            bound = bound_form[name]
            widget, value, key = field.widget, bound.value(), bound.html_name
            if isinstance(widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
                data[key] = [str(item) for item in value or []]
            elif isinstance(widget, BlockWidget):
                assert not value, "only an empty StreamField is supported here"
                data[f"{key}-count"] = 0
            else:
                formatted = widget.format_value(value)
                data[key] = "" if formatted is None else formatted

    add(form)
    for formset in form.formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        for child in formset.forms:
            add(child)
    return data


def edit_form_data(admin, page, **changes):
    """The edit form of `page` as an administrator's browser would send it back."""
    response = admin.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return {**form_data(response.context["form"]), **changes}


def create_form_data(admin, parent, **fields):
    """A new training under `parent`, as the "add page" form sends it."""
    response = admin.get(f"/admin/pages/add/trainings/trainingpage/{parent.pk}/")
    assert response.status_code == 200
    data = form_data(response.context["form"])
    data.update(summary="Ce que l’on apprend.", duration_hours="3", price="0", **fields)
    return data
