"""The weekly digest of each coordinator."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Measurement, MonitoringPoint
from programs.models import Document, Program
from roadmaps.models import RoadmapItem
from schools.models import Municipality, Organization, Region

from .. import recipients as who
from ..models import Kind, Notification


class DigestNotices:
    def digests(self):
        """Once a week, to each coordinator: what is late, who has not sent values, what waits
        for their verdict — over their territory, through their own access rules."""
        local = timezone.localtime(self.now)
        year, week, _ = local.isocalendar()
        occasion = f"{year}-W{week:02d}"
        coordinators = who.coordinators()
        already = set(
            Notification.objects.filter(
                kind=Kind.DIGEST, occasion=occasion, recipient_id__in=coordinators
            ).values_list("recipient_id", flat=True)
        )
        users = get_user_model().objects.in_bulk(set(coordinators) - already)
        regions = Region.objects.in_bulk(
            {r for places in coordinators.values() for _, r, _ in places}
        )
        municipalities = Municipality.objects.in_bulk(
            {m for places in coordinators.values() for _, _, m in places if m}
        )
        for user in users.values():
            territory = ", ".join(
                sorted(
                    {
                        municipalities[m].name if m else regions[r].name
                        for _, r, m in coordinators[user.pk]
                    }
                )
            )
            lines = digest_lines(user, self.now, local.date())
            # A week with nothing to tell is stored too, read and without a letter, so later
            # rounds of the week do not work the digest out again.
            self.add(
                [user.pk],
                kind=Kind.DIGEST,
                subject=user,
                occasion=occasion,
                title=f"Сводка за неделю {week} — {territory}: "
                + (lines[0] if lines else "всё в срок"),
                body=(
                    f"Что требует внимания ({territory}):\n"
                    + "\n".join(f"— {line}" for line in lines)
                )
                if lines
                else f"{territory}: просроченного и ждущего проверки нет.",
                url=reverse("home"),
                quiet=not lines,
            )


def digest_lines(user, now, today):
    """The digest of one coordinator at the moment `now` (`today`: its date in their region);
    empty when nothing needs them. Late items are late in each program region's date."""
    late = RoadmapItem.objects.visible_to(user).late(now).count()
    waiting_values = (
        Measurement.objects.approvable_by(user)
        .awaiting_approval()
        .order_by()
        .values("point", "organization")
        .distinct()
        .count()
    )
    waiting_documents = Document.objects.reviewable_by(user).awaiting_review().count()
    missing = 0
    for point in (
        MonitoringPoint.objects.filter(program__in=Program.objects.overseen_by(user))
        .open_for_entry(today)
        .filter(date__lte=today)
        .select_related("program")
    ):
        schools = point.program.supported_schools().filter(
            pk__in=Organization.objects.visible_to(user)
        )
        missing += point.not_sent(schools).count()
    lines = []
    if late:
        lines.append(f"просроченных мероприятий дорожных карт: {late}")
    if missing:
        lines.append(f"школ, не отправивших значения в открытых точках мониторинга: {missing}")
    if waiting_values:
        lines.append(f"значений школ ждут утверждения: {waiting_values}")
    if waiting_documents:
        lines.append(f"документов ждут проверки: {waiting_documents}")
    return lines
