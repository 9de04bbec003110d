"""Monitoring points open for entry and closing, to schools that have not sent everything."""

from datetime import timedelta

from django.urls import reverse

from monitoring.models import MonitoringPoint

from .. import recipients as who
from ..models import Kind
from .base import POINT_DEADLINE_DAYS, day_text


class PointNotices:
    def points(self):
        """A point open for entry, and its deadline within 3 days, to the staff of supported
        schools that have not sent all their values."""
        for _, program_ids in self.zones.by_zone().items():
            today = self.zones.today(program_ids[0])
            points = list(
                MonitoringPoint.objects.open_for_entry(today)
                .filter(program_id__in=program_ids, date__lte=today)
                .select_related("program")
            )
            for point in points:
                self._point(point, today)

    def _point(self, point, today):
        # The last day of entry: the point's deadline, or its date plus the program's window.
        closes_on = point.closes_on
        closing = today <= closes_on <= today + timedelta(days=POINT_DEADLINE_DAYS)
        # A school told both that the point opened and (if it is closing) that it closes
        # needs nothing more this round.
        opened = {o for _, o in self.told(Kind.POINT_OPEN, MonitoringPoint, [point.pk])}
        closed = {
            o.split(":")[0]
            for _, o in self.told(Kind.POINT_DEADLINE, MonitoringPoint, [point.pk])
            if closing and o.endswith(closes_on.isoformat())
        }
        schools = [
            s
            for s in point.not_sent(point.program.supported_schools()).only(
                "pk", "short_name", "name"
            )
            if str(s.pk) not in opened or (closing and str(s.pk) not in closed)
        ]
        if not schools:
            return
        staff = who.staff_of(s.pk for s in schools)
        allowed = who.allowed(
            {point.pk: set().union(*staff.values())} if staff else {},
            lambda user: MonitoringPoint.objects.visible_to(user),
            self.people,
        ).get(point.pk, set())
        for school in schools:
            users = staff.get(school.pk, set()) & allowed
            url = reverse("monitoring:entry", args=[point.pk, school.pk])
            until = f" до {day_text(closes_on)}"
            self.add(
                users,
                kind=Kind.POINT_OPEN,
                subject=point,
                occasion=str(school.pk),
                title=f"Открыт приём значений: {point}",
                body=f"Программа «{point.program}»: внесите значения показателей "
                f"{school.short_name or school.name} в точке «{point}»{until}.",
                url=url,
            )
            if closing:
                self.add(
                    users,
                    kind=Kind.POINT_DEADLINE,
                    subject=point,
                    occasion=f"{school.pk}:{closes_on.isoformat()}",
                    title=f"Приём значений закрывается {day_text(closes_on)}: {point}",
                    body=f"Программа «{point.program}»: значения {school.short_name or school.name} "
                    f"в точке «{point}» отправлены не все, а приём закрывается "
                    f"{day_text(closes_on)}.",
                    url=url,
                )
