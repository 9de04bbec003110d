"""Actions on roadmap items that write several rows: a progress report sets the reporting
organization's execution (and so the item's state) and stores the report with its evidence
files."""

from django.db import transaction
from django.utils import timezone

from core.access import reach
from core.revisions import claim
from core.uploads import discard_on_failure

from .models import Evidence, ItemReport


def reporting_organization(item, user):
    """On whose behalf the user reports: their school among the item's responsible ones, else
    the school they edit or curate, else their first organization."""
    r = reach(user)
    own = r.editor_schools | r.curated_schools
    responsible = {execution.organization_id for execution in item.executions.all()}
    for candidates in (responsible & own, own, r.organizations):
        if candidates:
            return min(candidates)
    return None


def own_execution(item, user):
    """The execution of the responsible organization the user reports for, or None when the
    user reports for none of the item's responsible organizations (a coordinator)."""
    organization = reporting_organization(item, user)
    return next((e for e in item.executions.all() if e.organization_id == organization), None)


def shown_status(item, user):
    """The state a user's status control starts from: their organization's part, or the
    item's."""
    execution = own_execution(item, user)
    return execution.status if execution is not None else item.status


def status_message(item, user):
    """What a saved change says: whose part changed and the item's state that follows."""
    execution = own_execution(item, user)
    if execution is None:
        return f"Состояние изменено: «{item.get_status_display()}»."
    return (
        f"Состояние {execution.organization.short_name}: «{execution.get_status_display()}»; "
        f"мероприятие в целом: «{item.get_status_display()}»."
    )


def _set_state(item, user, status, completed_on=None):
    """A responsible organization's staff set their organization's execution, and the item's
    state follows from all of them; anyone else (the program's coordinators, a pair's
    curators) sets the state of the whole item, every execution with it."""
    execution = own_execution(item, user)
    if execution is not None:
        execution.completed_on = completed_on if status == item.Status.DONE else None
        execution.set_status(status)
    else:
        item.completed_on = completed_on if status == item.Status.DONE else None
        item.set_status_for_all(status)
    item.save()


def set_item_status(item, user, *, status, seen_revision):
    """Change the state in place (history records who and when): the user's organization's
    part, or the whole item (`_set_state`)."""
    with transaction.atomic():
        claim(item, seen_revision)
        _set_state(item, user, status)
    return item


def report_progress(item, user, *, status, text, files, seen_revision, completed_on=None):
    """Store a progress report with its evidence and set the state of the reporting
    organization's execution (or of the whole item, `_set_state`). Refused with
    `StaleRevision` if the item changed since the form was built; then no row and no file is
    left behind."""
    with transaction.atomic(), discard_on_failure() as written:
        claim(item, seen_revision)
        _set_state(item, user, status, completed_on)
        report = ItemReport.objects.create(
            item=item,
            author=user,
            organization_id=reporting_organization(item, user),
            status=status,
            text=text,
        )
        for upload in files:
            evidence = Evidence(report=report, original_name=upload.name[:300], size=upload.size)
            evidence.file.save(upload.name, upload, save=False)
            written.append(evidence.file)
            evidence.save()
    return report


def delete_items(queryset, user, reason=None):
    """Delete the roadmap items `queryset` selects — a roadmap's, a school's, thousands — in a
    fixed number of statements whatever their number, writing what a delete of each would: the
    events and questions that named an item keep their place without it, the items' executions,
    progress reports and their evidence go with them, each item's history gets its «-» row
    (who, when, why) as one set (`core.bulk.delete_rows`), and every program they were of gets
    the change marks of its roadmap figures. In one transaction; returns how many items were
    deleted."""
    from django.db.models import SET_NULL

    from core.bulk import delete_rows
    from core.changes import ROADMAP_FIGURES, data_changed

    from .models import ItemExecution, RoadmapItem

    moment = timezone.now()
    with transaction.atomic():
        # Chosen once: the selection may go through what is deleted first (a school's items
        # are those of its executions).
        chosen = list(queryset.order_by().values_list("pk", "roadmap__program_id"))
        if not chosen:
            return 0
        ids = [pk for pk, _ in chosen]
        items = RoadmapItem.objects.filter(pk__in=ids)
        # What names an item and outlives it (events, questions — some in apps above this
        # one): the same SET_NULL a delete of each would cascade, found from the relations.
        for relation in RoadmapItem._meta.related_objects:
            if relation.on_delete is SET_NULL:
                relation.related_model._base_manager.filter(
                    **{f"{relation.field.name}__in": ids}
                ).update(**{relation.field.name: None})
        for rows in (
            Evidence.objects.filter(report__item__in=ids),
            ItemReport.objects.filter(item__in=ids),
            ItemExecution.objects.filter(item__in=ids),
            RoadmapItem.risk_factors.through.objects.filter(roadmapitem__in=ids),
        ):
            rows.order_by()._raw_delete(rows.db)
        deleted = delete_rows(items, user=user, date=moment, reason=reason)
        for program_id in sorted({program for _, program in chosen}):
            data_changed(program_id, ROADMAP_FIGURES)
    return deleted
