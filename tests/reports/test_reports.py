"""What each report definition puts in its tables, for the named people of `world`."""

import datetime
from decimal import Decimal

import pytest

from monitoring.models import Measurement
from programs.models import Program
from reports.document import tone_of, value_of
from reports.formatting import display
from reports.half_year import default_period
from reports.kinds import KINDS
from schools.models import Organization
from tests import factories as f

from .reporting import add_schools, facts, paragraphs, row_of, section, table

pytestmark = pytest.mark.django_db


def build(slug, subject, user, **params):
    return KINDS[slug].build(subject, user, **params)


# Roadmap execution


def test_roadmap_execution_lists_every_item_under_its_module_in_module_order(world, filled):
    report = build("roadmap", filled.roadmap, world.coordinator)
    rows = table(report, "Мероприятия").rows
    assert [r.text if r.is_group else r.values[1] for r in rows] == [
        "Есть проект",
        "Старт проекта",
        "Верификация факторов риска",
        "Стратегия успеха",
        "Мониторинг первого этапа позитивных изменений",
        "Мониторинг второго этапа позитивных изменений",
    ]


def test_roadmap_execution_keeps_the_deadline_as_written_and_counts_evidence(world, filled):
    rows = table(build("roadmap", filled.roadmap, world.coordinator), "Мероприятия")
    start = row_of(rows, filled.items.done.number)
    assert start.values[2] == "Январь 2023"
    assert start.values[3] == datetime.date(2023, 1, 31)
    assert start.values[-1] == 2


def test_an_open_item_past_its_deadline_is_late_by_so_many_days(world, filled):
    rows = table(build("roadmap", filled.roadmap, world.coordinator), "Мероприятия")
    late = row_of(rows, filled.items.late.number)
    # Counted in the program region's date, as the report counts (it differs from the server's
    # date for the hours after the region's midnight).
    days = (filled.roadmap.program.local_today() - datetime.date(2023, 2, 28)).days
    assert value_of(late.cells[7]) == f"да, {days} дн."
    assert tone_of(late.cells[7]) == "bad" and late.tone == "bad"
    # Done before its deadline, done after it, and cancelled are not late.
    assert row_of(rows, filled.items.done.number).values[7] == "нет"
    assert row_of(rows, filled.items.done_late.number).values[7] == "выполнено позже срока"
    assert row_of(rows, filled.items.cancelled.number).values[7] == "нет"


def test_roadmap_execution_sums_up_the_states(world, filled):
    summary = facts(build("roadmap", filled.roadmap, world.coordinator), "Итоги")
    # The cancelled item is counted on its own, not among the items (the plan changed).
    assert summary["Мероприятий всего"] == 3
    assert summary["Выполнено"] == "2 (66,7 %)"
    assert summary["Отменено"] == 1
    assert summary["Просрочено на дату отчёта"] == 1
    assert summary["Подтверждающих документов"] == 2


# Monitoring note


def test_note_sets_each_school_against_its_baseline_and_the_target(world, filled):
    report = build("note", filled.points.spring, world.coordinator)
    values = table(report, "Значения на точке «Первый этап», часть 1")
    row = row_of(values, "МБОУ «Русскинская СОШ»")
    quality_base, quality, failing_base, failing = row.cells[1:]
    assert (quality_base, value_of(quality)) == (Decimal(30), Decimal(42))
    assert tone_of(quality) == "good"  # 42 ≥ 40
    assert (failing_base, value_of(failing)) == (Decimal(8), Decimal(12))
    assert tone_of(failing) == "bad"  # 12 is more than the allowed 10
    assert values.column_groups[1][0] == "1. Качество знаний по итогам ВПР (цель: не менее 40 %)"


def test_note_shows_program_wide_values_as_one_row_po_programme(world, filled):
    report = build("note", filled.points.spring, world.coordinator)
    program_values = table(report, "Значения на точке «Первый этап», часть 2")
    assert [r.values for r in program_values.data_rows] == [["по программе", 0, 5]]


def test_note_plan_and_fact_show_every_point_plan_and_facts_up_to_the_note(world, filled):
    report = build("note", filled.points.spring, world.coordinator)
    plan = table(report, "Плановые и фактические значения")
    assert plan.column_groups == [
        ("", 3),
        ("Стартовая диагностика", 1),
        ("Первый этап", 2),
        ("Второй этап", 1),
    ]
    assert row_of(plan, "1").values == ["1", "Качество знаний по итогам ВПР", "%", 30, 42, 40, 45]
    assert row_of(plan, "3").values[3:] == [0, 5, 5, 10]


def test_note_fact_is_the_mean_of_the_schools_where_the_program_has_no_value(world, filled):
    add_schools(world, filled, 2)  # their quality at spring: 28 and 29
    plan = table(build("note", filled.points.spring, world.coordinator), "Плановые")
    assert row_of(plan, "1").values[4] == Decimal("33.00")  # (42 + 28 + 29) / 3


def test_note_lists_schools_that_went_backwards_as_the_direction_defines(world, filled):
    add_schools(world, filled, 2)  # quality 30 → 28 and 31 → 29: both fell
    report = build("note", filled.points.spring, world.coordinator)
    fallen = {r.values[0]: r.values[2] for r in table(report, "Отрицательная динамика").rows}
    # Fewer failing pupils is better: 8 → 12 is backwards; more quality is better.
    assert fallen == {
        "1. Качество знаний по итогам ВПР": "МБОУ «Школа 001» (было 30, стало 28); "
        "МБОУ «Школа 002» (было 31, стало 29)",
        "2. Доля неуспевающих обучающихся": "МБОУ «Русскинская СОШ» (было 8, стало 12)",
    }


def test_note_leaves_out_values_not_yet_approved_and_names_who_is_behind(world, filled):
    add_schools(world, filled, 2)  # their failing share is only submitted
    second = Organization.objects.get(short_name="МБОУ «Школа 002»")
    Measurement.objects.filter(organization=second, status="submitted").update(status="draft")
    report = build("note", filled.points.spring, world.coordinator)
    values = table(report, "Значения на точке «Первый этап», часть 1")
    assert value_of(row_of(values, "МБОУ «Школа 001»").cells[4]) is None
    # A submitted value is sent: the first new school has sent its sheet, the second has not.
    behind = table(report, "Не представили все значения")
    assert [r.values for r in behind.data_rows] == [["МБОУ «Школа 002»", 1, 0, 1, 0]]
    assert (
        "Все значения представили 2 из 3 школ, все утверждены — у 1."
        in (paragraphs(report, "Полнота данных")[0])
    )


def test_an_indicator_kept_as_one_program_value_shows_it_and_stays_on_the_sheet(world, filled):
    # As in the Мегион program: a school-level indicator whose only value is the program's.
    kept = f.IndicatorFactory(
        program=world.program, code="4", title="Доля педагогов-наставников", order=4
    )
    f.MeasurementFactory(
        indicator=kept,
        point=filled.points.spring,
        organization=None,
        value=20,
        status="approved",
    )
    report = build("note", filled.points.spring, world.coordinator)
    # The schools still enter it on their sheet (`MonitoringPoint.sheet_indicators`).
    assert paragraphs(report, "Полнота данных")[0].startswith(
        "Показателей, которые вносят школы: 3."
    )
    program_values = table(report, "Значения на точке «Первый этап», часть 2")
    assert [r.values for r in program_values.data_rows] == [["по программе", 0, 5, None, 20]]


def test_note_draws_the_dynamics_of_every_indicator(world, filled):
    report = build("note", filled.points.spring, world.coordinator)
    charts = section(report, "Динамика показателей").blocks[0].charts
    assert [c.title for c in charts] == [
        "1. Качество знаний по итогам ВПР",
        "2. Доля неуспевающих обучающихся",
        "3. Доля образовательных программ в сетевой форме",
    ]
    assert all(c.svg.startswith("<svg") and "<script" not in c.svg for c in charts)
    assert "МБОУ «Русскинская СОШ»" in charts[0].svg and "План" in charts[0].svg


def test_school_staff_see_only_their_own_school_in_the_note(world, filled):
    add_schools(world, filled, 3)
    report = build("note", filled.points.spring, world.school)
    values = table(report, "Значения на точке «Первый этап», часть 1")
    assert [r.values[0] for r in values.data_rows] == ["МБОУ «Русскинская СОШ»"]
    # Program-wide values belong to the territory's staff, not to a school.
    program_row = row_of(table(report, "Значения на точке «Первый этап», часть 2"), "по программе")
    assert program_row.values == ["по программе", None, None]


# Half-year consolidated report


def test_half_year_default_period_follows_the_program():
    program = Program(starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31))
    assert default_period(program, datetime.date(2023, 3, 10)) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 6, 30),
    )
    assert default_period(program, datetime.date(2025, 3, 10)) == (
        datetime.date(2023, 7, 1),
        datetime.date(2023, 12, 31),
    )
    assert default_period(program, datetime.date(2022, 9, 1))[0] == datetime.date(2023, 1, 1)


def first_half(world, user=None):
    return build(
        "half-year",
        world.program,
        user or world.coordinator,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 6, 30),
    )


def test_half_year_lists_the_items_due_in_the_period_with_their_state(world, filled):
    items = table(first_half(world), "Пункты со сроком в периоде")
    titles = [r.values[1] for r in items.data_rows]
    assert titles == [
        "Старт проекта",
        "Верификация факторов риска",
        "Мониторинг первого этапа позитивных изменений",
    ]
    assert value_of(row_of(items, filled.items.late.number).cells[6]) == "выполняется"


def test_half_year_counts_attendance_of_the_events_held(world, filled):
    add_schools(world, filled, 4)  # two of the four come to the seminar
    events = table(first_half(world), "Проведённые события")
    assert [r.values for r in events.data_rows] == [
        # invited: the pair and the branch, and four more; came: 2 + 2; supported: 3 of 5
        [datetime.date(2023, 3, 15), "Семинар «Есть проект»", "семинар", 7, 4, 9, Decimal("60.0")]
    ]


def test_half_year_shows_the_monitoring_points_in_the_period(world, filled):
    monitoring = table(first_half(world), "Мониторинг показателей")
    assert [r.text for r in monitoring.rows if r.is_group] == [
        "Первый этап (31.05.2023): все значения представили 1 из 1 школ"
    ]
    assert row_of(monitoring, "3").values == [
        "3",
        "Доля образовательных программ в сетевой форме",
        "%",
        5,
        5,
        "да",
        0,
    ]


def test_half_year_lists_documents_reviewed_in_the_period(world, filled):
    reviewed = table(first_half(world), "Рассмотренные документы")
    assert [r.values[:2] for r in reviewed.data_rows] == [
        [datetime.date(2023, 3, 20), "Среднесрочная программа «Вектор на развитие»"]
    ]
    second = build(
        "half-year",
        world.program,
        world.coordinator,
        starts_on=datetime.date(2023, 7, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    assert table(second, "Рассмотренные документы").data_rows == []


def test_half_year_names_every_pair(world, filled):
    add_schools(world, filled, 2)
    pairs = table(first_half(world), "Пары «куратор — школа»")
    assert [r.values[2] for r in pairs.data_rows] == [
        "МБОУ «Русскинская СОШ»",
        "МБОУ «Школа 001»",
        "МБОУ «Школа 002»",
    ]
    assert pairs.data_rows[0].values[4] == "№ 7 от 01.02.2023"


def test_half_year_shows_effectiveness_against_the_orders_thresholds(world, filled):
    from monitoring.models import Indicator, Target

    # Two pairs, one with a signed agreement: 50 % against «не менее 100 %».
    add_schools(world, filled, 1)
    Target.objects.create(
        indicator=f.IndicatorFactory(
            program=world.program,
            code="3.3.3",
            title="Имеется соглашение о сетевом взаимодействии",
            method=Indicator.Method.AGREEMENTS_SHARE,
        ),
        value=100,
        text="у всех пар",
    )
    pairs = world.program.pairs.order_by("pk")
    pairs.last().agreements.update(signed_on=None)
    signed = sum(1 for pair in pairs if pair.agreements.filter(signed_on__isnull=False).exists())
    assert (signed, pairs.count()) == (1, 2)
    rows = table(first_half(world), "Показатели эффективности").data_rows
    assert [r.values[:5] for r in rows] == [
        ["3.3.3", "Имеется соглашение о сетевом взаимодействии", "50 %", "1 из 2", "у всех пар"]
    ]
    assert value_of(rows[0].cells[5]) == "не достигнут"
    assert tone_of(rows[0].cells[5]) == "bad"


def test_half_year_leaves_program_wide_effectiveness_to_those_who_oversee_it(world, filled):
    from monitoring.models import Indicator

    f.IndicatorFactory(program=world.program, method=Indicator.Method.ITEMS_DONE_SHARE)
    assert "Показатели эффективности" in [s.heading for s in first_half(world).sections]
    school_report = KINDS["half-year"].build(
        world.program,
        world.school,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 6, 30),
    )
    assert "Показатели эффективности" not in [s.heading for s in school_report.sections]


# School card


def test_school_card_shows_how_the_risk_profile_changed(world, filled):
    report = build("school", world.supported_school, world.coordinator)
    risks = table(report, "Рисковый профиль")
    assert [r.text if r.is_group else r.values for r in risks.rows] == [
        "Кадры",
        ["1. Дефицит педагогических кадров", "низкий", "средний", "вырос"],
        "Обучающиеся",
        ["7. Низкая учебная мотивация", "высокий", "низкий", "снизился"],
    ]


def test_school_card_shows_statuses_pair_roadmap_progress_and_indicators(world, filled):
    report = build("school", world.supported_school, world.curator)
    statuses = table(report, "Статусы по годам")
    assert statuses.data_rows[0].values == ["2022", "«зона риска»", "Итоги идентификации 2022"]
    pair = table(report, "Пары и кураторы").data_rows[0].values
    assert pair[1:] == [
        "МБОУ «Нижнесортымская СОШ»",
        "МБОУ «Русскинская СОШ»",
        "Ирина Петрова",
        "№ 7 от 01.02.2023",
    ]
    progress = table(report, "Исполнение дорожных карт").data_rows[0].values
    # The school is responsible for one item of the program's roadmap, and it is late.
    assert progress[1:5] == ["Дорожная карта проекта «Вектор»", 1, 0, 1]
    indicators = table(report, "Показатели: Вектор на развитие")
    assert row_of(indicators, "1").values == [
        "1", "Качество знаний по итогам ВПР", "%", 30, None, 42, 40, None, 45,
    ]  # fmt: skip


def test_school_card_is_not_built_for_an_authority():
    assert not KINDS["school"].applies_to(f.AuthorityFactory.build())


# Event participation


def test_event_participation_shows_who_was_invited_and_who_came(world, filled):
    report = build("events", world.program, world.coordinator)
    who = table(report, "Приглашённые и пришедшие")
    seminar = row_of(who, datetime.date(2023, 3, 15))
    assert (
        seminar.values[2] == "МБОУ «Нижнесортымская СОШ» (2 чел.); МБОУ «Русскинская СОШ» (4 чел.)"
    )
    assert seminar.values[3] == "филиал «Русскинская НШ»"
    audit = row_of(who, datetime.date(2023, 9, 20))
    assert audit.values[2:] == ["", "МБОУ «Русскинская СОШ»"]
    summary = table(report, "События")
    assert [r.values[3:] for r in summary.data_rows] == [
        [3, 2, 6, Decimal("100.0")],
        [1, 0, 0, Decimal("0.0")],
    ]


def test_event_participation_names_supported_schools_that_never_came(world, filled):
    add_schools(world, filled, 2)  # the first does not come, the second does
    schools = table(build("events", world.program, world.coordinator), "Участие школ")
    assert row_of(schools, "МБОУ «Школа 001»").tone == "bad"
    assert row_of(schools, "МБОУ «Школа 002»").values == ["МБОУ «Школа 002»", 1, 1, 2]


# Passport


def test_passport_shows_indicators_with_baseline_and_targets_per_point(world, filled):
    report = build("passport", world.program, world.coordinator)
    indicators = table(report, "Показатели")
    assert [c.title for c in indicators.columns][5:] == [
        "Стартовая диагностика",
        "Первый этап",
        "Второй этап",
    ]
    assert indicators.column_groups == [
        ("", 5),
        ("Базовое значение", 1),
        ("Плановые значения", 2),
    ]
    assert row_of(indicators, "3").values[4:] == ["не менее", 0, 5, 10]
    assert row_of(indicators, "2").values[4:] == ["не более", None, 10, None]


def test_passport_shows_the_order_tasks_stages_and_pairs(world, filled):
    report = build("passport", world.program, world.coordinator)
    assert facts(report, "Общие сведения")["Приказ"] == "приказ № 1030 от 30.12.2022"
    assert table(report, "Задачи").data_rows[0].values == [
        "1",
        "Установить пары для сетевого взаимодействия",
    ]
    assert table(report, "Этапы").data_rows[0].values[:3] == [
        "Основной этап",
        datetime.date(2023, 2, 1),
        datetime.date(2023, 11, 30),
    ]
    assert len(table(report, "Пары «куратор — школа»").data_rows) == 1
    assert report.running_subtitle == "приказ № 1030 от 30.12.2022"


# Formatting


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (None, "text", "—"),
        ("", "text", "—"),
        (Decimal("85.50"), "number", "85,5"),
        (Decimal("100.00"), "number", "100"),
        (12345, "number", "12\u00a0345"),
        (Decimal("4"), "change", "+4"),
        (Decimal("-2.5"), "change", "−2,5"),
        (datetime.date(2023, 5, 31), "date", "31.05.2023"),
        (True, "text", "да"),
    ],
)
def test_values_read_the_russian_way(value, kind, text):
    assert display(value, kind) == text
