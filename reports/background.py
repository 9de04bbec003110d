"""Which reports are made in the background, and how a background report file is made.

A report about more supported schools than `REPORT_BACKGROUND_SCHOOLS` (a roadmap of more items
than `REPORT_BACKGROUND_ROWS`) would keep a request busy for minutes and use gigabytes of memory
while WeasyPrint lays out hundreds of pages; such a report is a `ReportFile` a worker makes.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from core.background import enqueue_after_commit
from programs.models import Program
from roadmaps.models import Roadmap

from .models import ReportFile


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


def subject_size(subject):
    """Supported schools of the subject's program, or the items of a roadmap (a roadmap of one
    school is small even in a national program); a school card is always small."""
    if isinstance(subject, Roadmap):
        return Size(subject.items.count(), "пунктов", settings.REPORT_BACKGROUND_ROWS)
    program = subject if isinstance(subject, Program) else getattr(subject, "program", None)
    if program is None:
        return Size(1, "школ", settings.REPORT_BACKGROUND_SCHOOLS)
    count = program.supported_schools().count()
    return Size(count, "поддерживаемых школ", settings.REPORT_BACKGROUND_SCHOOLS)


def is_large(subject):
    return subject_size(subject).is_large


def _stored(params):
    return {name: value.isoformat() for name, value in params.items()}


def _loaded(params):
    return {name: datetime.date.fromisoformat(value) for name, value in params.items()}


def request_file(kind, subject, user, fmt, params):
    """The file of this report for this person: the one already made or being made (and not
    expired), else a new one whose making is enqueued when the request commits."""
    stored = _stored(params)
    existing = (
        ReportFile.objects.visible_to(user)
        .live()
        .exclude(status=ReportFile.Status.FAILED)
        .filter(kind=kind.slug, subject_id=subject.pk, fmt=fmt, params=stored)
        .first()
    )
    if existing is not None:
        return existing
    report_file = ReportFile.objects.create(
        kind=kind.slug,
        subject_id=subject.pk,
        fmt=fmt,
        params=stored,
        requested_by=user,
        title=f"{kind.title}: {subject}"[:300],
    )
    from .tasks import make_report_file

    enqueue_after_commit(make_report_file, str(report_file.pk))
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
    report_file.advance(5, "сбор данных")
    report = kind.build(subject, user, **_loaded(report_file.params))
    if report_file.fmt == ReportFile.Format.PDF:
        report_file.advance(30, "вёрстка страниц PDF")
        content = render_pdf(report)
    else:
        report_file.advance(50, "запись книги Excel")
        content = render_xlsx(report)
    report_file.advance(95, "сохранение файла")
    report_file.store(report.title, report.filename, content)
