"""The leading signals of a program's supported schools (`SchoolSignals`): what their own work
says before their values do. Each is counted for every school at once, in a few grouped queries
whatever the number of schools, by the rules of the models:

- items late: the school's own part of the program's items (`ItemExecution`), late by
  `late_condition` («просрочено» in the program region's date);
- events missed: the program's events the school was invited to that have ended (or begun, when
  they name no end) with no attendance of the school;
- values sent late: the school's values submitted after their point's last day of entry
  (`MonitoringPoint.closes_on`);
- the curator's silence: weeks since the last item report, document review or approval by a
  curator the curator school appointed to the school's pair; sign-ins are never activity;
- high risks without measures: `expertise.traceability`'s flag «высокий риск без мер».
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce

from core.templatetags.portal import plural_form
from expertise.traceability import HIGH_WITHOUT_MEASURE, trace
from monitoring.models import Measurement, MonitoringPoint
from programs.models import Curator, Document, Review
from roadmaps.models import (
    Attendance,
    Event,
    ItemExecution,
    ItemExecutionQuerySet,
    ItemReport,
    RoadmapItem,
)

from .models import SchoolSignals

# A curator silent this many weeks or more is a reason.
CURATOR_IDLE_WEEKS = 4


def _late_items(program, schools, now):
    rows = (
        ItemExecution.objects.filter(item__roadmap__program=program, organization__in=schools)
        .values("organization")
        .annotate(**ItemExecutionQuerySet.completion_annotations(now, programs=[program]))
    )
    return {row["organization"]: (row["total"], row["late"]) for row in rows}


def _missed_events(program, schools, now):
    held = Event.objects.filter(program=program).filter(
        Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now)
    )
    attended = Attendance.objects.filter(
        event=OuterRef("event"), organization=OuterRef("organization")
    )
    rows = (
        Event.invited.through.objects.filter(event__in=held, organization__in=schools)
        .annotate(came=Exists(attended))
        .values("organization")
        .annotate(invited=Count("pk"), missed=Count("pk", filter=Q(came=False)))
    )
    return {row["organization"]: (row["invited"], row["missed"]) for row in rows}


def _late_values(program, schools):
    points = list(MonitoringPoint.objects.filter(program=program).select_related("program__region"))
    late = Q(pk__in=[])
    for point in points:
        late |= Q(point=point, submitted_at__date__gt=point.closes_on)
    return dict(
        Measurement.objects.filter(late, organization__in=schools)
        .values("organization")
        .annotate(n=Count("pk"))
        .values_list("organization", "n")
    )


def _curator_silence(program, schools, now):
    """{school id: weeks since its pair's curators last acted}, for schools whose pair has a
    curator with an account; a curator never active counts from their appointment, else from
    the program's start."""
    curators = defaultdict(set)  # school -> curator users
    since = {}
    for school_id, user_id, appointed_on in Curator.objects.filter(
        pair__program=program,
        pair__supported_school__in=schools,
        organization=F("pair__curator_school"),
        user__isnull=False,
    ).values_list("pair__supported_school", "user_id", "appointed_on"):
        curators[school_id].add(user_id)
        start = appointed_on or program.starts_on
        if start is not None:
            since[school_id] = min(since.get(school_id, start), start)
    users = {u for group in curators.values() for u in group}
    if not users:
        return {}
    last = defaultdict(lambda: None)  # (user, school) -> moment

    def keep(rows):
        for user_id, school_id, moment in rows:
            if moment is not None and (last[(user_id, school_id)] or moment) <= moment:
                last[(user_id, school_id)] = moment

    reports = ItemReport.objects.filter(item__roadmap__program=program, author__in=users)
    keep(
        reports.filter(item__roadmap__pair__supported_school__in=schools)
        .values("author", "item__roadmap__pair__supported_school")
        .annotate(last=Max("created_at"))
        .values_list("author", "item__roadmap__pair__supported_school", "last")
    )
    keep(
        reports.filter(item__roadmap__organization__in=schools)
        .values("author", "item__roadmap__organization")
        .annotate(last=Max("created_at"))
        .values_list("author", "item__roadmap__organization", "last")
    )
    keep(
        Measurement.objects.filter(
            point__program=program, approved_by__in=users, organization__in=schools
        )
        .values("approved_by", "organization")
        .annotate(last=Max("approved_at"))
        .values_list("approved_by", "organization", "last")
    )
    keep(
        Review.objects.filter(
            document__program=program, reviewer__in=users, document__organization__in=schools
        )
        .values("reviewer", "document__organization")
        .annotate(last=Max(Coalesce("decided_at", "created_at")))
        .values_list("reviewer", "document__organization", "last")
    )
    weeks = {}
    for school_id, group in curators.items():
        moments = [last[(u, school_id)] for u in group if last[(u, school_id)] is not None]
        if moments:
            weeks[school_id] = max((now - max(moments)).days, 0) // 7
        elif school_id in since:
            weeks[school_id] = max((now.date() - since[school_id]).days, 0) // 7
    return weeks


def _high_risks(program, school_ids):
    traces = trace(
        school_ids,
        items=RoadmapItem.objects.filter(roadmap__program=program),
        documents=Document.objects.filter(program=program),
    )
    return {pk: t.count(HIGH_WITHOUT_MEASURE) for pk, t in traces.items()}


def words(signals):
    """The signals worth a coordinator's attention, in words."""
    said = []
    if signals.items_late:
        n = signals.items_late
        said.append(
            f"{n} {plural_form(n, 'мероприятие,мероприятия,мероприятий')} дорожной карты "
            f"{plural_form(n, 'просрочено,просрочены,просрочено')}"
        )
    if signals.events_missed:
        n = signals.events_missed
        said.append(
            f"{plural_form(n, 'пропущено,пропущены,пропущено')} {n} из "
            f"{signals.events_invited} {plural_form(signals.events_invited, 'события,событий,событий')} программы"
        )
    if signals.values_late:
        n = signals.values_late
        said.append(
            f"{n} {plural_form(n, 'значение отправлено,значения отправлены,значений отправлено')} "
            "позже срока"
        )
    if signals.curator_idle_weeks is not None and signals.curator_idle_weeks >= CURATOR_IDLE_WEEKS:
        n = signals.curator_idle_weeks
        said.append(f"куратор не вёл работу в портале {n} {plural_form(n, 'неделю,недели,недель')}")
    if signals.high_risks_without_measures:
        n = signals.high_risks_without_measures
        said.append(f"{n} {plural_form(n, 'высокий риск,высоких риска,высоких рисков')} без мер")
    return said


def school_signals(program, now):
    """[SchoolSignals] (unsaved) of every supported school of the program."""
    schools = program.supported_schools()
    school_ids = list(schools.values_list("pk", flat=True))
    if not school_ids:
        return []
    late = _late_items(program, school_ids, now)
    missed = _missed_events(program, school_ids, now)
    values = _late_values(program, school_ids)
    silence = _curator_silence(program, school_ids, now)
    risks = _high_risks(program, school_ids)
    rows = []
    for pk in school_ids:
        items_total, items_late = late.get(pk, (0, 0))
        invited, events_missed = missed.get(pk, (0, 0))
        row = SchoolSignals(
            program=program,
            school_id=pk,
            computed_at=now,
            items_total=items_total,
            items_late=items_late,
            events_invited=invited,
            events_missed=events_missed,
            values_late=values.get(pk, 0),
            curator_idle_weeks=silence.get(pk),
            high_risks_without_measures=risks.get(pk, 0),
        )
        row.reasons = words(row)
        rows.append(row)
    return rows
