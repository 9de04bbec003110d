"""Values of a school at a point: sent, waiting, returned, approved."""

from collections import defaultdict

from django.db.models import Max, Min
from django.urls import reverse

from monitoring.models import Measurement, MonitoringPoint
from schools.models import Organization

from .. import recipients as who
from ..models import Kind
from .base import WAITING


class ValueNotices:
    def values(self):
        """Values of one school at one point: returned or approved — to the school; submitted,
        and waiting more than 48 hours — to those who may approve them."""
        since = self.now - self.lookback
        status = Measurement.Status
        groups = defaultdict(dict)  # kind -> {(point, org): (when, a measurement id)}
        rows = Measurement.objects.filter(organization__isnull=False)
        for kind, queryset, moment in (
            (
                Kind.VALUES_SUBMITTED,
                rows.filter(status=status.SUBMITTED, submitted_at__gte=since),
                "submitted_at",
            ),
            (
                Kind.VALUES_WAITING,
                rows.filter(status=status.SUBMITTED, submitted_at__lt=self.now - WAITING),
                "submitted_at",
            ),
            (
                Kind.VALUES_APPROVED,
                rows.filter(status=status.APPROVED, approved_at__gte=since),
                "approved_at",
            ),
        ):
            for point, org, when, pk in (
                queryset.order_by()
                .values("point", "organization")
                .annotate(when=Min(moment), any=Max("pk"))
                .values_list("point", "organization", "when", "any")
            ):
                groups[kind][(point, org)] = (when, pk)
        returned = (
            Measurement.history.filter(
                status=status.RETURNED, history_date__gte=since, organization__isnull=False
            )
            .order_by()
            .values("point", "organization")
            .annotate(when=Max("history_date"), any=Max("id"))
            .values_list("point", "organization", "when", "any")
        )
        for point, org, when, pk in returned:
            groups[Kind.VALUES_RETURNED][(point, org)] = (when, pk)
        keys = {key for found in groups.values() for key in found}
        if not keys:
            return
        points = MonitoringPoint.objects.select_related("program").in_bulk({p for p, _ in keys})

        def occasion(point_id, org_id, when):
            day = self.zones.day(when, points[point_id].program_id)
            return f"{org_id}:{day.isoformat()}"

        for kind, found in groups.items():
            told = self.told(kind, MonitoringPoint, (p for p, _ in found))
            groups[kind] = {
                (p, o): (when, pk)
                for (p, o), (when, pk) in found.items()
                if (p, occasion(p, o, when)) not in told
            }
        keys = {key for found in groups.values() for key in found}
        if not keys:
            return
        orgs = _organizations(o for _, o in keys)
        # Returned and approved values are told to the school; the others to their approvers.
        to_school = {
            key for kind in (Kind.VALUES_RETURNED, Kind.VALUES_APPROVED) for key in groups[kind]
        }
        school_staff = who.staff_of(o for _, o in to_school)
        approvers = self._approvers(
            {
                key: pk
                for kind in (Kind.VALUES_SUBMITTED, Kind.VALUES_WAITING)
                for key, (_, pk) in groups[kind].items()
            },
            points,
        )
        # The school sees its values; a returned value may since have been deleted, so the
        # check runs on the point, which the school sees with its program.
        schools_at = defaultdict(set)
        for point_id, org_id in to_school:
            schools_at[point_id] |= school_staff.get(org_id, set())
        school_side = who.allowed(
            schools_at,
            lambda user: MonitoringPoint.objects.visible_to(user),
            self.people,
        )
        remarks = _remarks(groups[Kind.VALUES_RETURNED])
        texts = {
            Kind.VALUES_SUBMITTED: ("Значения отправлены на проверку", "отправила значения"),
            Kind.VALUES_WAITING: ("Значения ждут проверки больше 48 часов", "ждёт проверки"),
            Kind.VALUES_RETURNED: ("Значения возвращены на доработку", "вернули на доработку"),
            Kind.VALUES_APPROVED: ("Значения утверждены", "утвердили"),
        }
        for kind, found in groups.items():
            for (point_id, org_id), (when, _) in found.items():
                point, org = points[point_id], orgs[org_id]
                program_id = point.program_id
                if kind in (Kind.VALUES_SUBMITTED, Kind.VALUES_WAITING):
                    users = approvers.get((point_id, org_id), set())
                    body = (
                        f"{org.short_name or org.name}: значения показателей в точке «{point}» "
                        f"программы «{point.program}» отправлены "
                        f"{self.zones.moment(when, program_id)} и ждут утверждения."
                    )
                else:
                    users = school_staff.get(org_id, set()) & school_side.get(point_id, set())
                    verdict = (
                        "возвращены на доработку" if kind == Kind.VALUES_RETURNED else "утверждены"
                    )
                    body = (
                        f"Значения показателей {org.short_name or org.name} в точке «{point}» "
                        f"программы «{point.program}» {verdict}."
                    )
                    if kind == Kind.VALUES_RETURNED and remarks.get((point_id, org_id)):
                        body += "\n\nЧто исправить:\n" + "\n".join(remarks[point_id, org_id])
                self.add(
                    users,
                    kind=kind,
                    subject=point,
                    occasion=occasion(point_id, org_id, when),
                    title=f"{texts[kind][0]}: {point} — {org.short_name or org.name}",
                    body=body,
                    url=reverse("monitoring:entry", args=[point_id, org_id]),
                )

    def _approvers(self, representatives, points):
        """{(point, org): {user ids}} who may approve the school's values at the point, checked
        on one value of each (`representatives`: {(point, org): measurement id})."""
        orgs = _organizations(o for _, o in representatives)
        territorial = who.territory_coordinators(
            (o.pk, o.region_id, o.municipality_id) for o in orgs.values()
        )
        program_side = who.program_coordinators(p.program_id for p in points.values())
        curators = who.curators_of((points[p].program_id, o) for p, o in representatives)
        candidates = {}
        for (point_id, org_id), pk in representatives.items():
            program_id = points[point_id].program_id
            candidates[pk] = (
                territorial.get(org_id, set())
                | program_side.get(program_id, set())
                | curators.get((program_id, org_id), set())
            )
        allowed = who.allowed(
            candidates, lambda user: Measurement.objects.approvable_by(user), self.people
        )
        return {key: allowed.get(pk, set()) for key, pk in representatives.items()}


def _organizations(ids):
    """{id: organization} of these ids (one per school with values: thousands in a round)."""
    return {o.pk: o for o in Organization.objects.filter(pk__among=set(ids)).order_by()}


def _remarks(returned):
    """{(point, org): lines} for the values now returned at these schools' points: each
    indicator (with its source where it has one, since two indicators may share a title) and
    the approver's remark. One query."""
    if not returned:
        return {}
    lines = defaultdict(list)
    rows = (
        Measurement.objects.filter(
            status=Measurement.Status.RETURNED,
            point__in={p for p, _ in returned},
            organization__in={o for _, o in returned},
        )
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    for value in rows:
        key = (value.point_id, value.organization_id)
        if key not in returned:
            continue
        indicator = value.indicator
        name = f"{indicator.code}. {indicator.title}".lstrip(". ")
        if indicator.source:
            name += f" ({indicator.source})"
        remark = value.review_comment.strip() or "замечание не указано"
        lines[key].append(f"— {name}: {remark}")
    return lines
