"""Which reports are made in the background, and how a background report file is made.

A report about more supported schools than `REPORT_BACKGROUND_SCHOOLS` (a roadmap of more items
than `REPORT_BACKGROUND_ROWS`) would keep a request busy for minutes and use gigabytes of memory
while WeasyPrint lays out hundreds of pages; such a report is a `ReportFile` a worker makes.
The schools counted are those of the report's territory (?region=, ?municipality=). Past
`REPORT_DETAIL_SCHOOLS` a report summarises its schools by territory (territory.py), so it no
longer runs to hundreds of pages; gathering the figures of thousands of schools and laying out
their charts still takes seconds, so it stays with the worker.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404

from core.background import enqueue_after_commit
from dashboards.scope import WHOLE
from programs.models import Program
from roadmaps.models import Roadmap

from .models import ReportFile
from .territory import MUNICIPALITY, REGION, scope_params, territory_scope


@dataclass(frozen=True)
class Size:
    """How big a report about a subject gets, what is counted, and the bound past which it is
    made in the background."""

    count: int
    counted: str
    bound: int

    @property
    def is_large(self):
        return self.count > self.bound


def program_of(subject):
    """The program a report's subject belongs to (itself for a program), or None (a school)."""
    return subject if isinstance(subject, Program) else getattr(subject, "program", None)


def subject_size(subject, scope=WHOLE):
    """Supported schools of the subject's program in the report's territory (`scope`), or the
    items of a roadmap (a roadmap of one school is small even in a national program); a school
    card is always small."""
    if isinstance(subject, Roadmap):
        return Size(subject.items.count(), "пунктов", settings.REPORT_BACKGROUND_ROWS)
    program = program_of(subject)
    if program is None:
        return Size(1, "школ", settings.REPORT_BACKGROUND_SCHOOLS)
    count = program.supported_schools().filter(scope.organizations()).count()
    return Size(count, "поддерживаемых школ", settings.REPORT_BACKGROUND_SCHOOLS)


def is_large(subject, scope=WHOLE):
    return subject_size(subject, scope).is_large


def _stored(params):
    """The parameters of a report as JSON: dates as ISO text, the territory as its id."""
    stored = {}
    for name, value in params.items():
        if name == "scope":
            stored.update(scope_params(value))
        else:
            stored[name] = value.isoformat()
    return stored


def _loaded(params, user, subject):
    """The parameters back; the territory through the access rule of the person who asked, as
    their request was (`territory.territory_scope`: Http404 when it is out of their reach)."""
    loaded = {
        name: datetime.date.fromisoformat(value)
        for name, value in params.items()
        if name not in (REGION, MUNICIPALITY)
    }
    if REGION in params or MUNICIPALITY in params:
        loaded["scope"] = territory_scope(
            user, program_of(subject), params.get(REGION), params.get(MUNICIPALITY)
        )
    return loaded


def request_file(kind, subject, user, fmt, params):
    """The file of this report for this person: the one already made or being made (and not
    expired), else a new one whose making is enqueued when the request commits."""
    stored = _stored(params)
    same = ReportFile.objects.visible_to(user).filter(
        kind=kind.slug, subject_id=subject.pk, fmt=fmt, params=stored
    )
    # A file whose worker is gone ends here, so it never stands in the way of asking again.
    same.end_stale()
    existing = same.live().exclude(status=ReportFile.Status.FAILED).first()
    if existing is not None:
        return existing
    scope = params.get("scope")
    territory = f" — {scope.territory}" if scope is not None and scope.territory else ""
    report_file = ReportFile.objects.create(
        kind=kind.slug,
        subject_id=subject.pk,
        fmt=fmt,
        params=stored,
        requested_by=user,
        title=f"{kind.title}: {subject}{territory}"[:300],
    )
    # Named, not imported: the task imports this module to make the file.
    enqueue_after_commit("reports.tasks.make_report_file", str(report_file.pk))
    return report_file


def make(report_file):
    """Build the report with the reach of the person who asked and store its file. The subject is
    looked up through their access rule again: what they may no longer see is not made."""
    from .kinds import KINDS
    from .pdf import render_pdf
    from .xlsx import render_xlsx

    kind = KINDS.get(report_file.kind)
    user = report_file.requested_by
    subject = (
        kind.queryset().visible_to(user).filter(pk=report_file.subject_id).first()
        if kind is not None
        else None
    )
    if subject is None or not user.is_active:
        report_file.fail("Отчёт недоступен: нет доступа к его предмету.")
        return
    try:
        params = _loaded(report_file.params, user, subject)
    except Http404:
        report_file.fail("Отчёт недоступен: территория отчёта вне вашего доступа.")
        return
    report_file.advance(5, "сбор данных")
    report = kind.build(subject, user, **params)
    if report_file.fmt == ReportFile.Format.PDF:
        report_file.advance(30, "вёрстка страниц PDF")
        content = render_pdf(report)
    else:
        report_file.advance(50, "запись книги Excel")
        content = render_xlsx(report)
    report_file.advance(95, "сохранение файла")
    report_file.store(report.title, report.filename, content)
