"""`manage.py load_demo`: the five documents loaded as real programs, faithfully to their
wording, a second run that changes nothing, and the demo users' access.

The demo is loaded once for the module, inside a transaction that is rolled back when the module
is done, so other modules still start from an empty database."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

import demo
from demo import cycle
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Curator, CuratorPair, Document, Participant, Program
from roadmaps.models import RoadmapItem
from schools.models import Membership, Municipality, Organization, Region, RiskFactor

DOCUMENTS = Path(demo.__file__).parent / "documents"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# Hashing six passwords with the production hasher would take most of the module's time.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])

SURGUT, PERM, MEGION = (
    "Вектор на развитие",
    "Адресная методическая помощь",
    ("Адресная поддержка школ г. Мегиона"),
)
KHUNZAKH, ATKARSK = "«500+» в Хунзахском районе", "Модель поддержки ШНОР Аткарского района"


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    # The demo writes its documents' files: into a folder of the run, never the project's media/.
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), FAST_HASHER, media, transaction.atomic():
        out = io.StringIO()
        call_command("load_demo", stdout=out, allow_production=True)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    """Each test runs in a savepoint inside the module's transaction."""
    return demo_output


def program(short_title):
    return Program.objects.get(short_title=short_title)


def items(short_title):
    """The items of the program's document: its own roadmaps, not the current cycle's."""
    return list(
        RoadmapItem.objects.filter(
            roadmap__program__short_title=short_title,
            roadmap__level__in=cycle.DOCUMENT_LEVELS,
        )
    )


def document_points(short_title):
    """The monitoring points the document names, not the current cycle's."""
    return MonitoringPoint.objects.filter(program__short_title=short_title).exclude(
        title__in=cycle.POINT_TITLES
    )


def user(username):
    return get_user_model().objects.get(username=username)


def dump():
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


# --- The territory ----------------------------------------------------------------------------


def test_it_loads_the_four_regions_with_codes_and_time_zones(demo):
    assert set(Region.objects.values_list("name", "code", "timezone")) == {
        ("Ханты-Мансийский автономный округ – Югра", "86", "Asia/Yekaterinburg"),
        ("Пермский край", "59", "Asia/Yekaterinburg"),
        ("Республика Дагестан", "05", "Europe/Moscow"),
        ("Саратовская область", "64", "Europe/Saratov"),
    }


def test_it_loads_exactly_the_four_municipalities(demo):
    assert set(Municipality.objects.values_list("name", "kind", "region__code")) == {
        ("Сургутский район", "district", "86"),
        ("г. Мегион", "city", "86"),
        ("Хунзахский район", "district", "05"),
        ("Аткарский район", "district", "64"),
    }


# --- Сургутский район: «Вектор на развитие» ---------------------------------------------------

SURGUT_SCHOOLS = {
    "МБОУ «Нижнесортымская СОШ»",
    "МБОУ «Русскинская СОШ»",
    "МБОУ «Лянторская СОШ № 5»",
    "МБОУ «Ляминская СОШ»",
    "МБОУ «Лянторская СОШ № 4»",
    "МБОУ «Высокомысовская СОШ»",
    "МБОУ «Солнечная СОШ №1»",
    "филиал «Сытоминская СШ»",
    "МБОУ «Угутская СОШ»",
    "филиал «Каюковская НШ»",
}
SURGUT_PAIRS = [
    ("2.1", "МБОУ «Нижнесортымская СОШ»", "МБОУ «Русскинская СОШ»"),
    ("2.2", "МБОУ «Лянторская СОШ № 5»", "МБОУ «Ляминская СОШ»"),
    ("2.3", "МБОУ «Лянторская СОШ № 4»", "МБОУ «Высокомысовская СОШ»"),
    ("2.4", "МБОУ «Солнечная СОШ №1»", "филиал «Сытоминская СШ»"),
    ("2.5", "МБОУ «Угутская СОШ»", "филиал «Каюковская НШ»"),
]
CURATORS = {curator for _, curator, _ in SURGUT_PAIRS}
SUPPORTED = {supported for _, _, supported in SURGUT_PAIRS}


def test_surgut_program_is_the_order_of_30_12_2022(demo):
    vector = program(SURGUT)
    assert vector.order_display == "приказ № 1030 от 30.12.2022"
    assert vector.order_title.startswith("Об утверждении муниципального проекта методического")
    assert vector.level == Program.Level.MUNICIPAL
    assert (vector.starts_on, vector.ends_on) == (date(2023, 1, 1), date(2023, 12, 31))
    assert vector.owner.name == (
        "Департамент образования и молодёжной политики администрации Сургутского района"
    )
    assert vector.owner.kind == Organization.Kind.AUTHORITY
    assert (vector.operator.short_name, vector.operator.kind) == ("МКУ «ИМЦ»", "methodical_center")
    assert vector.municipality.name == "Сургутский район"
    assert vector.goal.startswith("Целью оказания «адресной» методической помощи является")
    assert vector.tasks.count() == 11
    assert vector.tasks.first().text.startswith("развитие муниципальных и внутришкольных")
    assert vector.expected_results.count() == 2


def test_surgut_has_exactly_the_ten_schools_of_the_order(demo):
    schools = Organization.objects.filter(municipality__name="Сургутский район", kind="school")
    assert set(schools.values_list("short_name", flat=True)) == SURGUT_SCHOOLS


def test_branches_hang_under_their_head_schools(demo):
    branches = Organization.objects.filter(parent__isnull=False)
    assert set(branches.values_list("short_name", "parent__short_name")) == {
        ("филиал «Сытоминская СШ»", "МБОУ «Солнечная СОШ №1»"),
        ("филиал «Каюковская НШ»", "МБОУ «Угутская СОШ»"),
    }


def test_surgut_pairs_are_the_five_of_point_2(demo):
    pairs = CuratorPair.objects.filter(program__short_title=SURGUT).order_by("number")
    assert [
        (p.number, p.curator_school.short_name, p.supported_school.short_name) for p in pairs
    ] == SURGUT_PAIRS
    participants = Participant.objects.filter(program__short_title=SURGUT)
    assert {
        p.organization.short_name for p in participants if p.role == Participant.Role.CURATOR
    } == CURATORS
    assert {
        p.organization.short_name for p in participants if p.role == Participant.Role.SUPPORTED
    } == SUPPORTED
    assert participants.count() == 10


def test_surgut_statuses_of_2022_come_from_the_pairing(demo):
    for school in Organization.objects.filter(short_name__in=SURGUT_SCHOOLS):
        status = school.statuses.get()
        expected = "effective" if school.short_name in CURATORS else "risk_zone"
        assert (status.year, status.category, status.source) == (
            2022,
            expected,
            "приказ № 1030 от 30.12.2022",
        )


def test_surgut_misspelled_school_is_one_school(demo):
    russkinskaya = Organization.objects.filter(
        region__code="86", short_name__icontains="Рус", kind="school"
    )
    assert list(russkinskaya.values_list("short_name", flat=True)) == ["МБОУ «Русскинская СОШ»"]
    verification, programs = items(SURGUT)[3], items(SURGUT)[5]
    assert "МБОУ «Рускинская СОШ»" in verification.title
    assert "МБОУ «Русская СОШ»" in programs.title
    for item in (verification, programs):
        assert russkinskaya.get() in item.responsible.all()


SURGUT_ITEMS = [
    # (module, schedule, starts_on, due_on)
    ("Есть проект", "Январь 2023", date(2023, 1, 1), date(2023, 1, 31)),
    ("Есть проект", "Январь 2023", date(2023, 1, 1), date(2023, 1, 31)),
    ("Есть проект", "Январь 2023", date(2023, 1, 1), date(2023, 1, 31)),
    ("Есть проект", "Февраль 2023", date(2023, 2, 1), date(2023, 2, 28)),
    ("Есть проект", "Февраль-декабрь 2023", date(2023, 2, 1), date(2023, 12, 31)),
    ("ПрофСреда", "Январь-февраль 2023", date(2023, 1, 1), date(2023, 2, 28)),
    ("ПрофСреда", "Февраль 2023", date(2023, 2, 1), date(2023, 2, 28)),
    ("ПрофСреда", "Февраль-декабрь 2023", date(2023, 2, 1), date(2023, 12, 31)),
    ("ПрофСреда", "Март 2023", date(2023, 3, 1), date(2023, 3, 31)),
    ("Стратегия успеха", "Май 2023", date(2023, 5, 1), date(2023, 5, 31)),
    ("Стратегия успеха", "Октябрь 2023", date(2023, 10, 1), date(2023, 10, 31)),
    ("Стратегия успеха", "Декабрь 2023", date(2023, 12, 1), date(2023, 12, 31)),
]


def test_surgut_roadmap_has_twelve_items_in_three_modules_with_dates(demo):
    vector = program(SURGUT)
    assert list(vector.modules.values_list("title", flat=True)) == [
        "Есть проект",
        "ПрофСреда",
        "Стратегия успеха",
    ]
    assert all(module.description for module in vector.modules.all())
    loaded = items(SURGUT)
    assert [(i.module.title, i.schedule_text, i.starts_on, i.due_on) for i in loaded] == (
        SURGUT_ITEMS
    )
    assert loaded[4].title == "Цикл ежемесячных ВКС с кураторами проекта"


def test_surgut_items_that_list_schools_have_them_responsible(demo):
    responsible = {
        i.title.split(":")[0]: {o.short_name for o in i.responsible.all()} for i in items(SURGUT)
    }
    assert responsible["Отбор кураторов из числа ОО"] == CURATORS
    assert (
        responsible[
            "Верификация факторов риска учебной неуспешности в отобранных для участия в проекте ОО"
        ]
        == SUPPORTED
    )
    development = "Разработка и утверждение среднесрочных программ «Вектор на развитие» ОО"
    assert responsible[f"{development} (далее – Среднесрочная программа)"] == SUPPORTED
    assert sum(1 for schools in responsible.values() if schools) == 3


def test_surgut_indicators_and_monitoring_points(demo):
    indicators = Indicator.objects.filter(program__short_title=SURGUT)
    assert [i.source for i in indicators] == [
        "Статистические данные по итогам промежуточной аттестации",
        "Статистические данные по итогам ГИА (ЕГЭ, ОГЭ)",
        "Статистические данные по итогам ВПР",
        "Статистические данные по итогам выгрузки с платформы «РЭШ»",
        "Статистические данные по итогам ВСОКО",
    ]
    assert {(i.unit, i.level) for i in indicators} == {("percent", "school")}
    points = document_points(SURGUT)
    assert [(p.date, p.kind, p.stage) for p in points] == [
        (date(2023, 5, 31), "intermediate", 1),
        (date(2023, 10, 31), "intermediate", 2),
        (date(2023, 12, 29), "final", None),
    ]


# --- Пермский край ----------------------------------------------------------------------------


def test_perm_project_is_regional_without_an_order_number(demo):
    perm = program(PERM)
    assert perm.level == Program.Level.REGIONAL
    assert (perm.region.name, perm.municipality) == ("Пермский край", None)
    assert (perm.order_number, perm.order_date) == ("", None)
    assert perm.owner.name == "Министерство образования и науки Пермского края"
    assert perm.operator.short_name == "ЦНППМПР ГАУ ДПО «ИРО ПК»"
    assert (perm.starts_on, perm.ends_on) == (date(2023, 1, 1), date(2023, 12, 31))
    assert perm.goal.startswith("Цель Проекта – создание условий")
    assert [t.number for t in perm.tasks.all()] == [f"1.5.{n}" for n in range(1, 9)]
    assert perm.expected_results.count() == 2
    roles = perm.roles.all()
    assert [len(r.function_list) for r in roles] == [6, 7, 8, 2, 4]
    assert roles[0].organization == perm.owner


def test_perm_plan_graph_has_eighteen_items_as_written(demo):
    loaded = items(PERM)
    assert [i.number for i in loaded] == [str(n) for n in range(1, 19)]
    assert [i.schedule_text for i in loaded][:6] == [
        "Май",
        "Май",
        "В течение года",
        "Май",
        "В течение года",
        "В течение года (при необходимости)",
    ]
    first, fourth = loaded[0], loaded[3]
    assert first.responsible_note.startswith("Министерство образования и науки Пермского края")
    assert {o.short_name for o in first.responsible.all()} == {
        "МОН ПК",
        "ЦНППМПР ГАУ ДПО «ИРО ПК»",
    }
    # МОУО are the municipalities' bodies, no one organization: only the centre is linked.
    assert [o.short_name for o in fourth.responsible.all()] == ["ЦНППМПР ГАУ ДПО «ИРО ПК»"]
    assert loaded[4].expected_result == (
        "Не менее 85 % управленческих команд прошли обучение на курсах повышения квалификации"
    )
    assert loaded[5].expected_result == ""
    assert (loaded[0].starts_on, loaded[0].due_on) == (date(2023, 5, 1), date(2023, 5, 31))
    assert (loaded[13].starts_on, loaded[13].due_on) == (date(2023, 9, 1), date(2023, 11, 30))


def test_perm_items_broken_over_a_page_are_whole(demo):
    webinar, monitoring_item = items(PERM)[9], items(PERM)[14]
    assert webinar.title == (
        "Вебинар «Актуальные аспекты системы работы со школами с низкими образовательными "
        "результатами в Пермском крае в 2023 году»"
    )
    assert webinar.expected_result.endswith("руководители ШНОР приняли участие в вебинаре")
    assert monitoring_item.title.endswith("образовательными результатами в 2023 году")
    assert monitoring_item.expected_result.endswith("по сопровождению ШНОР в 2023 году")


PERM_THRESHOLDS = {
    # code: (level, unit, method, value, comparison, text)
    "3.1.1": ("region", "yes_no", "entered", 1, "eq", "наличие"),
    "3.1.2": ("region", "yes_no", "entered", 1, "eq", "наличие"),
    "3.1.3": ("region", "yes_no", "entered", 1, "eq", "наличие"),
    "3.1.4": ("region", "percent", "attendance_share", 80, "ge", "не менее 80 %"),
    "3.1.5": (
        "region",
        "count",
        "exchange_events_regional",
        2,
        "ge",
        "не менее 2-х региональных мероприятий",
    ),
    "3.2.1": ("municipality", "yes_no", "entered", 1, "eq", "наличие"),
    "3.2.2": (
        "municipality",
        "percent",
        "items_done_share",
        100,
        "ge",
        "реализована в полном объеме",
    ),
    "3.2.3": ("municipality", "count", "exchange_events_municipal", 1, "ge", "не менее 1-го"),
    "3.3.1": ("school", "yes_no", "entered", 1, "eq", "разработан и реализуется"),
    "3.3.2": ("school", "percent", "documents_approved_share", 100, "ge", "успешно пройдена"),
    "3.3.3": ("school", "percent", "agreements_share", 100, "ge", "имеется соглашение"),
}


def test_perm_effectiveness_indicators_are_thresholds(demo):
    targets = Target.objects.filter(indicator__program__short_title=PERM).select_related(
        "indicator"
    )
    assert {
        t.indicator.code: (
            t.indicator.level,
            t.indicator.unit,
            t.indicator.method,
            t.value,
            t.comparison,
            t.text,
        )
        for t in targets
    } == PERM_THRESHOLDS
    assert {(t.point, t.organization) for t in targets} == {(None, None)}
    assert targets.count() == 11


# --- г. Мегион --------------------------------------------------------------------------------

MEGION_TABLE = [
    # (group, 2020, 2021, 2022, 2023)
    ("Повышение качества образования", 0, 5, 10, 15),
    ("Повышение качества образования", 25, 30, 35, 40),
    ("Повышение качества образования", 75, 80, 82, 85),
    ("Повышение качества образования", 0, 5, 10, 15),
    ("Организационно-управленческие меры", 89, 90, 91, 93),
    ("Организационно-управленческие меры", 50, 100, 100, 100),
    ("Повышение уровня кадрового потенциала", 0, 100, 100, 100),
    ("Повышение уровня кадрового потенциала", 5, 30, 70, 100),
    ("Повышение уровня кадрового потенциала", 5, 35, 40, 45),
    ("Повышение уровня кадрового потенциала", 1, 5, 20, 30),
    ("Оказание методической помощи", 15, 30, 40, 50),
    ("Оказание методической помощи", 5, 15, 20, 25),
    ("Оказание методической помощи", 5, 15, 20, 25),
]


def test_megion_program_with_its_stages(demo):
    megion = program(MEGION)
    assert megion.owner.name == "Департамент образования и молодёжной политики города Мегиона"
    assert megion.operator.short_name == "МКУ «ЦРО»"
    assert (megion.level, megion.municipality.kind) == ("municipal", "city")
    assert (megion.starts_on, megion.ends_on) == (date(2021, 1, 11), date(2023, 5, 31))
    assert [(s.title, s.starts_on, s.ends_on) for s in megion.stages.all()] == [
        ("1 этап. Подготовительный", date(2021, 1, 11), date(2021, 2, 15)),
        ("2 этап. Основной", date(2021, 2, 16), date(2022, 12, 31)),
        ("3 этап. Обобщающий", date(2023, 1, 1), date(2023, 5, 31)),
    ]
    assert [t.number for t in megion.tasks.all()] == ["1", "2", "3", "4", "5", "6"]
    assert megion.goal.startswith("Повышение качества образовательных результатов")
    assert megion.expected_results.count() == 5
    assert [len(r.function_list) for r in megion.roles.all()] == [7, 4, 4]


def test_megion_names_one_supported_school_and_the_gymnasium_only_as_organization(demo):
    participants = Participant.objects.filter(program__short_title=MEGION)
    assert [(p.organization.short_name, p.role) for p in participants] == [
        ("МАОУ «СОШ №2»", "supported")
    ]
    gymnasium = Organization.objects.get(short_name="МАОУ №5 «Гимназия»")
    assert gymnasium.municipality.name == "г. Мегион"
    assert not gymnasium.participations.exists()


def test_megion_plan_has_twenty_nine_items_in_three_modules(demo):
    loaded = items(MEGION)
    assert [i.number for i in loaded] == (
        [f"1.{n}" for n in range(1, 10)]
        + [f"2.{n}" for n in range(1, 10)]
        + [f"3.{n}" for n in range(1, 12)]
    )
    assert [i.module.title for i in loaded] == (
        ["Управленческий (правовой) модуль"] * 9
        + ["Организационный модуль"] * 9
        + ["Информационно-методический модуль"] * 11
    )
    by_number = {i.number: i for i in loaded}
    assert (by_number["2.7"].schedule_text, by_number["2.7"].due_on) == ("", None)
    assert by_number["1.1"].responsible_note == "ДОиМП г.Мегиона, МКУ «ЦРО»"
    assert {o.short_name for o in by_number["1.1"].responsible.all()} == {
        "ДОиМП г. Мегиона",
        "МКУ «ЦРО»",
    }
    assert by_number["1.7"].recurring
    assert (by_number["1.2"].starts_on, by_number["1.2"].due_on) == (
        date(2021, 1, 1),
        date(2023, 5, 31),
    )


def test_megion_indicators_have_the_2020_value_and_yearly_targets(demo):
    indicators = Indicator.objects.filter(program__short_title=MEGION)
    assert indicators.count() == 13
    assert len(set(indicators.values_list("group", flat=True))) == 4
    points = {p.title: p for p in document_points(MEGION)}
    assert {title: (p.date, p.kind) for title, p in points.items()} == {
        "2020 год": (date(2020, 12, 31), "baseline"),
        "2021 год": (date(2021, 12, 31), "intermediate"),
        "2022 год": (date(2022, 12, 31), "intermediate"),
        "2023 год": (date(2023, 5, 31), "final"),
    }
    rows = []
    for indicator in indicators:
        baseline = Measurement.objects.get(indicator=indicator, point=points["2020 год"])
        assert (baseline.organization, baseline.status) == (None, "approved")
        plans = [
            Target.objects.get(indicator=indicator, point=points[f"{year} год"], organization=None)
            for year in (2021, 2022, 2023)
        ]
        rows.append((indicator.group[:30], baseline.value, *(t.value for t in plans)))
    assert rows == [(group[:30], *(Decimal(v) for v in values)) for group, *values in MEGION_TABLE]


# --- Хунзахский район -------------------------------------------------------------------------


def test_khunzakh_roadmap_of_order_102_of_2023(demo):
    khunzakh = program(KHUNZAKH)
    assert (khunzakh.order_number, khunzakh.order_date) == ("102", date(2023, 2, 7))
    assert khunzakh.municipality.name == "Хунзахский район"
    loaded = items(KHUNZAKH)
    assert [i.number for i in loaded] == [str(n) for n in range(1, 19)]
    # Items 4–6 had the responsible and the deadline in one HTML cell.
    assert [(i.responsible_note, i.schedule_text) for i in loaded[3:6]] == [
        ("Муниципальный координатор, кураторы", "Январь-февраль"),
        ("Муниципальный координатор, кураторы", "февраль"),
        ("Муниципальный координатор, кураторы", "февраль"),
    ]
    assert (loaded[3].starts_on, loaded[3].due_on) == (date(2023, 1, 1), date(2023, 2, 28))
    assert not any(i.responsible.exists() for i in loaded)


def test_risk_factor_catalogue_has_fifteen_factors_in_three_groups(demo):
    factors = RiskFactor.objects.all()
    assert factors.count() == 15
    groups = list(dict.fromkeys(factors.values_list("group", flat=True)))
    assert groups == [
        "Проблемы с обеспеченностью материальными ресурсами и кадрами",
        "Низкая эффективность управления в школе",
        "Проблемы обеспечения благоприятного «школьного уклада»",
    ]
    assert list(factors.values_list("code", flat=True)) == (
        ["1.1", "1.2", "1.3"] + [f"2.{n}" for n in range(1, 10)] + ["3.1", "3.2", "3.3"]
    )
    # The repeated headings («4.», «5.») continue groups 2 and 3.
    assert factors.get(code="2.6").title.startswith("Низкая мотивация руководства")
    assert factors.get(code="3.3").title == (
        "Низкая вовлеченность учителей в образовательный процесс"
    )
    assert all(f.description for f in factors)


# --- Аткарский район --------------------------------------------------------------------------


def test_atkarsk_support_model_as_a_program(demo):
    atkarsk = program(ATKARSK)
    assert atkarsk.order_display == "приказ № 8 от 20.01.2021"
    assert atkarsk.owner.name == (
        "Управление образования администрации Аткарского муниципального района"
    )
    assert (atkarsk.starts_on, atkarsk.ends_on) == (date(2020, 1, 1), date(2024, 12, 31))
    assert atkarsk.goal.startswith("Целью внедрения районной модели является")
    assert "положены следующие принципы" in atkarsk.description
    assert atkarsk.roles.count() == 7
    assert all(role.function_list for role in atkarsk.roles.all())
    assert atkarsk.expected_results.count() == 17
    assert not atkarsk.participants.exists()


# --- Faithful to the documents ----------------------------------------------------------------

DASH = r"[-‐‑‒–—−]"


def normalise(text):
    """Text without the conversion's markup, with whitespace, dashes and quotes evened out:
    what is compared is the wording, not the layout."""
    text = re.sub(r"</?p>", " ", text)  # Хунзах items 4–6 came out as HTML paragraphs
    text = re.sub(r"\[bookmark: [^\]]*\]", " ", text)
    text = text.replace("**", " ").replace("<", "").replace(">", "")
    text = re.sub('[«»“”„"]', '"', text)
    # Hyphenation and dash spacing differ between a cell and its transcription.
    text = re.sub(rf"\s*{DASH}\s*", "", text)
    return " ".join(text.split())


def missing_from(document, text, pieces=1):
    """The part of `text` not found in `document`, or "" when it is all there: as one
    passage, or in up to `pieces` passages in order where the document splits it."""
    words = normalise(text).split()
    position = 0
    for _ in range(pieces):
        if not words:
            return ""
        # The longest run of leading words that occurs after the previous passage.
        found = 0
        for count in range(len(words), 0, -1):
            at = document.find(" ".join(words[:count]), position)
            if at >= 0:
                found, position = count, at + 1
                break
        if not found:
            break
        words = words[found:]
    return " ".join(words)


DOCUMENT_FILES = {
    SURGUT: "000_surgut.txt",
    PERM: "001_perm.txt",
    MEGION: "002_megion.txt",
    KHUNZAKH: "003_khunzakh.txt",
    ATKARSK: "004_atkarsk.txt",
}
# Items reassembled from a table broken over a page (see the demo modules' comments): their text
# appears in the document in two passages.
BROKEN_OVER_A_PAGE = {(SURGUT, 5), (PERM, 10), (PERM, 15)}


def texts_of(loaded):
    """Every wording the demo took from its document, with where it sits, item by item."""
    yield "title", loaded.title, 1
    yield "order_title", loaded.order_title, 1
    yield "goal", loaded.goal, 1
    for paragraph in loaded.description.split("\n\n"):
        yield "description", paragraph, 1
    for task in loaded.tasks.all():
        yield f"task {task.number}", task.text, 1
    for stage in loaded.stages.all():
        yield f"stage {stage.title}", f"{stage.title} {stage.description}", 2
    for result in loaded.expected_results.all():
        yield "result", result.text, 1
    for role in loaded.roles.all():
        for line in role.function_list:
            yield f"role {role.title}", line, 1
    for module in loaded.modules.all():
        yield "module", module.title, 1
        yield f"module {module.title}", module.description, 1
    for roadmap in loaded.roadmaps.filter(level__in=cycle.DOCUMENT_LEVELS):
        yield "roadmap", roadmap.title, 1
        for item in roadmap.items.all():
            pieces = 2 if (loaded.short_title, item.order) in BROKEN_OVER_A_PAGE else 1
            for field in ("title", "schedule_text", "responsible_note", "expected_result"):
                yield f"item {item.order} {field}", getattr(item, field), pieces
    for indicator in loaded.indicators.all():
        for field in ("title", "source", "group"):
            yield f"indicator {indicator.code} {field}", getattr(indicator, field), 1
        for target in indicator.targets.all():
            yield f"target {indicator.code}", target.text, 1


@pytest.mark.parametrize("short_title", list(DOCUMENT_FILES))
def test_transcription_is_faithful_to_the_shipped_document(demo, short_title):
    document = normalise((DOCUMENTS / DOCUMENT_FILES[short_title]).read_text(encoding="utf-8"))
    loaded = program(short_title)
    checked, missing = 0, []
    for where, text, pieces in texts_of(loaded):
        if text:
            checked += 1
            if rest := missing_from(document, text, pieces):
                missing.append((where, rest))
    assert missing == []
    assert checked > 20


def test_risk_factors_are_faithful_to_the_shipped_document(demo):
    document = normalise((DOCUMENTS / DOCUMENT_FILES[KHUNZAKH]).read_text(encoding="utf-8"))
    missing = [
        (factor.code, rest)
        for factor in RiskFactor.objects.all()
        for text in (factor.title, factor.group, factor.description)
        if (rest := missing_from(document, text))
    ]
    assert missing == []


def test_the_check_catches_a_changed_word():
    document = normalise("Старт Проекта\tЯнварь 2023")
    assert missing_from(document, "Старт Проекта") == ""
    assert missing_from(document, "Старт проекта") == "проекта"
    assert missing_from(document, "Старт Проекта Январь 2024", pieces=2) == "2024"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not on this machine")
def test_shipped_documents_are_the_seeds_verbatim():
    seeds = {path.name[:3]: path.read_bytes() for path in SEEDS.glob("*.txt")}
    shipped = {path.name[:3]: path.read_bytes() for path in DOCUMENTS.glob("*.txt")}
    assert shipped == seeds


# --- Run twice, nothing changes -----------------------------------------------------------------


def test_a_second_run_changes_nothing(demo):
    before = dump()
    history = (RoadmapItem.history.count(), Measurement.history.count())
    out = io.StringIO()
    call_command("load_demo", stdout=out, allow_production=True)
    assert "Записей создано: 0, изменено: 0" in out.getvalue()
    assert (RoadmapItem.history.count(), Measurement.history.count()) == history
    assert dump() == before


def test_a_new_password_changes_only_the_users(demo):
    item_history = RoadmapItem.history.count()
    call_command(
        "load_demo", "--password", "другой-пароль", stdout=io.StringIO(), allow_production=True
    )
    assert user("school").check_password("другой-пароль")
    assert RoadmapItem.history.count() == item_history
    before = dump()
    call_command(
        "load_demo", "--password", "другой-пароль", stdout=io.StringIO(), allow_production=True
    )
    assert dump() == before


# --- The demo users -------------------------------------------------------------------------------


def test_it_prints_the_users_and_their_password(demo):
    assert "Демонстрационные данные загружены." in demo
    assert "Пользователи (пароль: demo12345):" in demo
    for username in ("region", "coordinator", "curator", "school", "outsider", "admin"):
        assert re.search(rf"^  {username} ", demo, re.MULTILINE)
        assert user(username).check_password("demo12345")


def test_demo_users_sit_where_their_role_says(demo):
    memberships = {
        (m.user.username, m.organization.short_name, m.role)
        for m in Membership.objects.select_related("user", "organization")
    }
    assert memberships == {
        ("region", "МОН ПК", "coordinator"),
        ("coordinator", "ДОиМП Сургутского района", "coordinator"),
        ("curator", "МБОУ «Нижнесортымская СОШ»", "staff"),
        ("school", "МБОУ «Русскинская СОШ»", "staff"),
        ("outsider", "МАОУ «СОШ №2»", "staff"),
        ("expert", "МКУ «ИМЦ»", "staff"),
        ("peer", "МБОУ «Ляминская СОШ»", "staff"),
    }
    curator = Curator.objects.get(user__username="curator")
    assert curator.pair.number == "2.1"
    assert curator.pair.supported_school.short_name == "МБОУ «Русскинская СОШ»"
    assert user("admin").is_superuser
    # Names describe the role; the demo invents no people.
    assert user("coordinator").get_full_name() == "Координатор Сургутского района"


def visible(username):
    return set(Program.objects.visible_to(user(username)).values_list("short_title", flat=True))


def test_outsider_sees_only_the_megion_program(demo):
    assert visible("outsider") == {MEGION}


def test_municipal_coordinator_sees_their_project_and_not_perm(demo):
    assert visible("coordinator") == {SURGUT}


def test_region_coordinator_sees_the_perm_project(demo):
    assert visible("region") == {PERM}


def test_curator_and_school_see_the_vector_project_and_the_pairs_school(demo):
    assert visible("curator") == {SURGUT}
    assert visible("school") == {SURGUT}
    seen = Organization.objects.visible_to(user("curator")).values_list("short_name", flat=True)
    assert "МБОУ «Русскинская СОШ»" in seen
    assert "МБОУ «Ляминская СОШ»" not in seen


def test_admin_sees_all_five_programs(demo):
    assert visible("admin") == set(DOCUMENT_FILES)


# --- Expertise, traceability and the bank -------------------------------------------------------


def test_russkinskaya_medium_term_program_went_through_two_rounds_of_sheets(demo, client):
    from expertise.models import Assignment

    document = Document.objects.get(title__startswith="Среднесрочная программа «Вектор")
    assert document.status == Document.Status.APPROVED and document.version == 2
    verdicts = sorted(
        Assignment.objects.filter(review__document=document).values_list("version", "verdict")
    )
    assert verdicts == [(1, "revision"), (1, "revision"), (2, "passed"), (2, "passed")]
    client.force_login(user("school"))
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Версия 2:" in page and "соответствует" in page
    # Each test has its own media folder: a second run writes the files there, nothing else.
    call_command("load_demo", stdout=io.StringIO(), allow_production=True)
    changes = client.get(reverse("expertise:changes", args=[document.pk])).content.decode()
    assert "педагогические мастерские" in changes  # the text added in version 2


def test_the_mutual_review_waits_for_the_peer_school(demo, client):
    client.force_login(user("peer"))
    sheets = client.get(reverse("expertise:my_sheets")).content.decode()
    assert "Антирисковая программа" in sheets
    anti_risk = Document.objects.get(kind=Document.Kind.ANTI_RISK_PROGRAM)
    assert anti_risk.status == Document.Status.SUBMITTED


def test_the_khunzakh_catalogue_drives_the_flags_of_the_school(demo, client):
    from expertise.traceability import (
        HIGH_WITHOUT_ANTI_RISK,
        HIGH_WITHOUT_MEASURE,
        MEASURE_WITHOUT_INDICATOR,
        trace,
    )

    school = Organization.objects.get(short_name="МБОУ «Русскинская СОШ»")
    school_trace = trace(
        [school.pk], items=RoadmapItem.objects.all(), documents=Document.objects.all()
    )[school.pk]
    flags = {t.factor.code: t.flags for t in school_trace.factors}
    assert flags == {
        "1.3": [MEASURE_WITHOUT_INDICATOR],
        "2.3": [HIGH_WITHOUT_MEASURE, HIGH_WITHOUT_ANTI_RISK],
        "2.8": [MEASURE_WITHOUT_INDICATOR],
        "3.2": [],
    }
    client.force_login(user("coordinator"))
    page = client.get(reverse("school", args=[school.pk])).content.decode()
    assert "Высокая доля обучающихся с рисками школьной неуспешности" in page
    assert 'data-flag="high_without_measure"' in page


def test_the_perm_dashboard_shows_the_orders_threshold_for_expertise(demo, client):
    client.force_login(user("region"))
    page = client.get(reverse("dashboards:dashboard", args=[program(PERM).pk])).content.decode()
    assert "Экспертиза документов" in page


def test_the_bank_holds_the_curators_practice_adopted_by_the_school(demo, client):
    from expertise.models import Practice

    practice = Practice.objects.get()
    assert practice.in_bank and practice.is_public
    # The supported school adopted it in 2023, two more schools in the current cycle.
    assert set(practice.adoptions.values_list("school__short_name", flat=True)) == {
        "МБОУ «Русскинская СОШ»",
        "МБОУ «Ляминская СОШ»",
        "МБОУ «Высокомысовская СОШ»",
    }
    assert client.get(reverse("expertise:public_bank")).status_code == 200


# --- The day in motion --------------------------------------------------------------------------


def test_the_coordinators_home_has_a_week_ahead_on_the_day_of_loading(demo, client):
    client.force_login(user("coordinator"))
    response = client.get(reverse("home"))
    week = response.context["week"]
    assert week["items_count"] >= 1 and week["events_count"] >= 1
    assert response.context["points_count"] >= 1
    assert response.context["waiting"]["approvals"]
    # Late items stay a few, grouped by roadmap: no wall of the documents' 2023 deadlines.
    assert 1 <= response.context["late_count"] <= 6


def test_every_role_has_something_to_do_today(demo, client):
    for username, part in [
        ("school", "returned_count"),
        ("curator", "pair_months"),
        ("expert", "waiting"),
        ("peer", "waiting"),
        ("outsider", "points_count"),
    ]:
        client.force_login(user(username))
        context = client.get(reverse("home")).context
        if part == "waiting":
            assert context["waiting"]["sheets_count"] == 1, username
        else:
            assert context[part], username
