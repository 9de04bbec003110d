"""«Напомнить не сдавшим»: a coordinator chases the schools of a point that have not sent all
their values, at most once a day per school.

Each school's notice is keyed by the school and the day in the program region's date (the
notice's `occasion`), and the table holds one notice per recipient, kind, point and occasion:
a second press on the same day adds nothing for a school already told, whoever presses."""

from django.urls import reverse
from django.utils import timezone

from monitoring.models import Measurement

from . import recipients as who
from .models import Kind, Notification, content_type_of
from .rounds.base import Draft, day_text, store


def remind_missing(point, user, now=None):
    """Tell the staff of each school of the point (among those `user` sees) whose sheet is not
    complete to send their values. Returns (schools reminded, schools already reminded today)."""
    now = now or timezone.now()
    today = point.program.local_today(now)
    # The one rule of a complete sheet (`MonitoringPoint.not_sent`) says who is chased.
    missing = list(
        point.not_sent(point.program.supported_schools().visible_to(user))
        .only("pk", "short_name", "name")
        .order_by("short_name")
    )
    progress = Measurement.objects.visible_to(user).sheet_progress(
        [point], [school.pk for school in missing]
    )
    occasions = {s.pk: f"{s.pk}:{today.isoformat()}" for s in missing}
    told = set(
        Notification.objects.filter(
            kind=Kind.VALUES_REMINDER,
            content_type=content_type_of(type(point)),
            object_id=point.pk,
            occasion__in=occasions.values(),
        ).values_list("occasion", flat=True)
    )
    staff = who.staff_of(s.pk for s in missing)
    reminded, skipped, drafts = [], [], []
    for school in missing:
        if occasions[school.pk] in told:
            skipped.append(school)
            continue
        reminded.append(school)
        sheet = progress[point.pk, school.pk]
        for recipient in staff.get(school.pk, set()):
            drafts.append(
                Draft(
                    recipient_id=recipient,
                    kind=Kind.VALUES_REMINDER,
                    subject=point,
                    occasion=occasions[school.pk],
                    title=f"Отправьте значения показателей: {point}",
                    body=(
                        f"{school.short_name or school.name}: в точке мониторинга «{point}» "
                        f"программы «{point.program}» отправлено {sheet.sent} значений из "
                        f"{sheet.total}. Приём значений до {day_text(point.closes_on)} "
                        "включительно; координатор просит отправить недостающие."
                    ),
                    url=reverse("monitoring:entry", args=[point.pk, school.pk]),
                )
            )
    store(drafts, now)
    return reminded, skipped
