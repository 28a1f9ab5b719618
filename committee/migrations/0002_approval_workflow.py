"""The catalogue's approval workflow: « Approbation du comité formation », one task
« Validation par le comité formation » for the group « Comité formation », on every catalogue
that exists (later ones get it when created, committee/signals.py). Pages under a catalogue
follow it instead of the site's default « Approbation du comité ».

Idempotent: found by name; a catalogue that already has a workflow keeps it. Undoing removes
nothing an editor may rely on (pages may be in moderation under it). Names frozen here, as in
committee/roles.py when this was written.
"""

from django.db import migrations

WORKFLOW = "Approbation du comité formation"
TASK = "Validation par le comité formation"
GROUP = "Comité formation"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    CatalogueIndexPage = apps.get_model("catalogue", "CatalogueIndexPage")

    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=content_type, active=True)
    task.groups.add(Group.objects.get(name=GROUP))

    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    for page_id in CatalogueIndexPage.objects.values_list("pk", flat=True):
        WorkflowPage.objects.get_or_create(page_id=page_id, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("committee", "0001_roles")]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
