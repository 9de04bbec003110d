"""Expertise sheets due soon or late, to their reviewers."""

from django.urls import reverse

from expertise.models import Assignment
from programs.models import Program

from .. import recipients as who
from ..models import Kind
from .base import LOOKBACK_DAYS, SHEET_REMINDER_DAYS, day_text


class SheetNotices:
    def sheets(self):
        """An undecided expertise sheet due within `SHEET_REMINDER_DAYS` days, and once more
        when its deadline has passed, to its reviewer: once each, by the day of the
        document's program."""
        found, occasion = [], {}
        for today, program_ids in Program.objects.local_dates(self.now).items():
            sheets = Assignment.objects.due_within(today, SHEET_REMINDER_DAYS).filter(
                review__document__program_id__in=program_ids, due_on__gte=today - LOOKBACK_DAYS
            )
            for sheet in sheets.select_related("review__document"):
                found.append(sheet)
                late = sheet.is_overdue_on(today)
                occasion[sheet.pk] = ("late:" if late else "due:") + sheet.due_on.isoformat()
        told = self.told(Kind.SHEET_DUE, Assignment, occasion.keys())
        sheets = [s for s in found if (s.pk, occasion[s.pk]) not in told]
        allowed = who.allowed(
            {s.pk: {s.review.reviewer_id} for s in sheets},
            lambda user: Assignment.objects.fillable_by(user),
            self.people,
            by_person=True,
        )
        for sheet in sheets:
            document = sheet.review.document
            is_late = occasion[sheet.pk].startswith("late:")
            self.add(
                allowed.get(sheet.pk, set()),
                kind=Kind.SHEET_DUE,
                subject=sheet,
                occasion=occasion[sheet.pk],
                title=f"{'Просрочена экспертиза' if is_late else 'Срок экспертизы'}: {document}",
                body=f"Экспертный лист документа «{document.title}» "
                f"{'нужно было заполнить' if is_late else 'нужно заполнить'} до "
                f"{day_text(sheet.due_on)}.",
                url=reverse("expertise:sheet", args=[sheet.pk]),
            )
