"""Actions on roadmap items that write several rows: a progress report sets the item's status
and stores the report with its evidence files."""

from django.db import transaction

from core.access import reach
from core.revisions import claim
from core.uploads import discard_on_failure

from .models import Evidence, ItemReport


def reporting_organization(item, user):
    """On whose behalf the user reports: their school among the item's responsible ones, else
    the school they edit or curate, else their first organization."""
    r = reach(user)
    own = r.editor_schools | r.curated_schools
    responsible = {org.pk for org in item.responsible.all()}
    for candidates in (responsible & own, own, r.organizations):
        if candidates:
            return min(candidates)
    return None


def set_item_status(item, user, *, status, seen_revision):
    """Change the item's status in place (history records who and when)."""
    with transaction.atomic():
        claim(item, seen_revision)
        item.set_status(status)
        item.save()
    return item


def report_progress(item, user, *, status, text, files, seen_revision, completed_on=None):
    """Store a progress report with its evidence and set the item's status. Refused with
    `StaleRevision` if the item changed since the form was built; then no row and no file is
    left behind."""
    with transaction.atomic(), discard_on_failure() as written:
        claim(item, seen_revision)
        item.completed_on = completed_on if status == item.Status.DONE else None
        item.set_status(status)
        item.save()
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
