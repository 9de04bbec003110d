"""«Who has not sent» said once: a school's sheet at a point is complete when every school-level
entered indicator has a submitted or approved value (`MonitoringPoint.complete_schools`). The
dashboard, both point pages, the reminder, the weekly digest, the analytical note and the
half-year report name the same schools as not having sent — whatever else the schools typed in
(a computed indicator's value) and whatever the program reports as a whole."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Indicator, Measurement
from notices.models import Kind, Notification
from notices.rounds import digest_lines
from notices.service import run_round
from programs.models import Participant
from reports.kinds import KINDS
from schools.models import Membership
from tests import factories as f
from tests.reports.reporting import paragraphs, table

STATUS = Measurement.Status


@pytest.fixture
def sheets(world):
    """An open point of the world's program with two indicators each school enters, one the
    portal computes and one of the program as a whole (with its value); five supported schools,
    each with a member of staff:

    - the world's supported school sent both values (one waits, one approved): complete;
    - «Угутская» has one approved and one draft; «Лянтор» one approved and one returned;
    - «Солнечная» has entered nothing;
    - «Барсово» has one approved value and one of the computed indicator: still incomplete."""
    program = world.program
    today = program.local_today()
    point = f.MonitoringPointFactory(
        program=program,
        title="Весна",
        date=today,
        entry_deadline=today + datetime.timedelta(days=20),
    )
    first = f.IndicatorFactory(program=program, code="1", title="Доля обучающихся")
    second = f.IndicatorFactory(program=program, code="2", title="Доля педагогов")
    computed = f.IndicatorFactory(
        program=program,
        code="3",
        title="Доля выполненных мероприятий",
        method=Indicator.Method.ITEMS_DONE_SHARE,
    )
    program_wide = f.IndicatorFactory(
        program=program, code="4", title="Число площадок", level=Indicator.Level.PROGRAM
    )
    f.MeasurementFactory(
        indicator=program_wide, point=point, organization=None, value=3, status=STATUS.APPROVED
    )
    schools = {"Русскинская": world.supported_school}
    for name in ("Угутская", "Лянтор", "Солнечная", "Барсово"):
        school = f.OrganizationFactory(municipality=world.municipality, short_name=f"СОШ {name}")
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
        schools[name] = school
    for name, school in schools.items():
        if name != "Русскинская":
            f.MembershipFactory(
                user=f.UserFactory(username=f"staff-{school.pk}"),
                organization=school,
                role=Membership.Role.STAFF,
            )
    values = {
        "Русскинская": ((first, STATUS.SUBMITTED), (second, STATUS.APPROVED)),
        "Угутская": ((first, STATUS.APPROVED), (second, STATUS.DRAFT)),
        "Лянтор": ((first, STATUS.APPROVED), (second, STATUS.RETURNED)),
        "Барсово": ((first, STATUS.APPROVED), (computed, STATUS.APPROVED)),
    }
    for name, entered in values.items():
        for indicator, status in entered:
            f.MeasurementFactory(
                indicator=indicator,
                point=point,
                organization=schools[name],
                value=40,
                status=status,
            )
    not_sent = {schools[n].short_name for n in ("Угутская", "Лянтор", "Солнечная", "Барсово")}
    return point, schools, not_sent


def test_every_page_report_and_notice_names_the_same_schools_as_not_having_sent(
    world, sheets, as_user
):
    point, schools, not_sent = sheets
    program = world.program
    client = as_user(world.coordinator)
    named = {}

    dashboard = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    (row,) = [r for r in dashboard.context["completeness"]["rows"] if r["point"] == point]
    named["dashboard: complete"] = row["expected"] - row["complete"]

    completeness = client.get(
        reverse("dashboards:completeness", args=[point.pk]), {"show": "missing"}
    )
    named["completeness page"] = {
        record.short_name for record in completeness.context["table"].data
    }
    point_page = client.get(reverse("monitoring:point", args=[point.pk]), {"missing": "1"})
    named["point page"] = {r["school"].short_name for r in point_page.context["rows"]}
    assert point_page.context["missing_count"] == len(not_sent)

    run_round()
    told = Notification.objects.filter(kind=Kind.POINT_OPEN, object_id=point.pk)
    named["reminder"] = {
        school.short_name
        for school in schools.values()
        if told.filter(occasion=str(school.pk)).exists()
    }
    lines = digest_lines(world.coordinator, timezone.now(), program.local_today())
    named["digest"] = next(
        int(line.rsplit(":", 1)[1]) for line in lines if line.startswith("школ, не отправивших")
    )

    note = KINDS["note"].build(point, world.coordinator)
    named["note"] = {r.values[0] for r in table(note, "Не представили все значения").data_rows}
    half = KINDS["half-year"].build(
        program,
        world.coordinator,
        starts_on=point.date - datetime.timedelta(days=30),
        ends_on=point.date + datetime.timedelta(days=30),
    )
    (lagging,) = [
        text for text in paragraphs(half, "Мониторинг показателей") if "не представили" in text
    ]
    named["half-year report"] = set(lagging.split(" — ", 1)[1].rstrip(".").split(", "))

    counts = {key: value for key, value in named.items() if isinstance(value, int)}
    lists = {key: value for key, value in named.items() if not isinstance(value, int)}
    assert lists == dict.fromkeys(lists, not_sent)
    assert counts == dict.fromkeys(counts, len(not_sent))
