"""Reports on the demo data loaded from the five real documents (`manage.py load_demo`).

The checks are the documents' own numbers: the Мегион program's 13 indicators with their 2020
values and 2021–2023 targets, the 18 items of the Пермский край plan-graph, the 5 pairs of the
Сургутский район project. Every PDF is read back with pypdf: Cyrillic text, PT Sans embedded,
«стр. N из M»; every workbook holds the same rows as the report's tables.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from monitoring.models import MonitoringPoint
from programs.models import Program
from reports.kinds import KINDS
from reports.pdf import render_pdf
from reports.xlsx import HEADER_ROW, render_xlsx
from roadmaps.models import Roadmap
from tests import factories as f

from .reporting import (
    expected_row,
    pdf_fonts,
    pdf_page_texts,
    sheet_rows,
    table,
    workbook,
)

pytestmark = pytest.mark.django_db

# The Мегион program's table «Показатели достижения цели программы»: a phrase that tells the
# indicator apart, its 2020 value, and its planned values for 2021, 2022 and 2023.
MEGION_INDICATORS = [
    ("сетевых форм взаимодействия", 0, 5, 10, 15),
    ("активные формы взаимодействия", 25, 30, 35, 40),
    ("материально-техническим обеспечением", 75, 80, 82, 85),
    ("школьных проектов по оказанию адресной помощи", 0, 5, 10, 15),
    ("открытости результатов образования", 89, 90, 91, 93),
    ("программ повышения качества образования в школах", 50, 100, 100, 100),
    ("программ повышения квалификации на уровне муниципалитета", 0, 100, 100, 100),
    ("доля руководящих работников", 5, 30, 70, 100),
    ("доля педагогических работников оо", 5, 35, 40, 45),
    ("диагностике профессиональных компетенций", 1, 5, 20, 30),
    ("вебинарах, семинарах", 15, 30, 40, 50),
    ("представивших свой опыт", 5, 15, 20, 25),
    ("участие в конкурсах", 5, 15, 20, 25),
]

# The pairs of the Сургутский район order: curator schools and supported schools.
SURGUT_CURATORS = ["Нижнесортымская", "Лянторская", "Лянторская", "Солнечная", "Угутская"]
SURGUT_SUPPORTED = ["скинская", "Ляминская", "Высокомысовская", "Сытоминская", "Каюковская"]


def normal(text):
    """Lower case, «ё» as «е», whitespace collapsed, a word broken at a hyphen joined again."""
    text = " ".join(str(text).lower().replace("ё", "е").split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0, allow_production=True)
    return f.UserFactory(username="demo-reports", is_superuser=True)


def program_of(**where):
    found = Program.objects.filter(Q(**where)).distinct()
    assert found.count() == 1, f"ожидалась одна программа по {where}, найдено {found.count()}"
    return found.get()


def check_pdf(pdf):
    """Cyrillic text with no missing glyphs, only PT Sans and embedded, pages numbered."""
    pages = pdf_page_texts(pdf)
    text = " ".join(pages)
    assert "\ufffd" not in text
    assert re.search("[а-яА-Я]{5}", text)
    fonts = pdf_fonts(pdf)
    assert fonts and all(re.match(r"^/[A-Z]{6}\+PT-?Sans", name) for name in fonts), fonts
    assert all(fonts.values())
    for number, page in enumerate(pages, 1):
        assert f"стр. {number} из {len(pages)}" in page
    return normal(text)


def check_workbook(report):
    book = workbook(render_xlsx(report))
    sheets = book.worksheets[1:]
    assert len(sheets) == len(report.tables())
    for sheet, table_ in zip(sheets, report.tables(), strict=True):
        width = len(table_.columns)
        expected = [expected_row(row, width) for row in table_.rows]
        assert sheet_rows(sheet, HEADER_ROW, width) == expected, table_.title


def numbers_pattern(*numbers):
    """The numbers in order, as cells of one row read back: apart, or with «—» between."""
    return r"[\s—]*".join(rf"(?<![\d,]){n}(?![\d,])" for n in numbers)


def test_megion_note_lists_all_13_indicators_with_2020_value_and_targets(demo):
    megion = program_of(municipality__name__icontains="Мегион")
    points = {p.title: p for p in MonitoringPoint.objects.filter(program=megion)}
    assert {"2020 год", "2021 год", "2022 год", "2023 год"} <= set(points)
    assert points["2020 год"].kind == MonitoringPoint.Kind.BASELINE
    report = KINDS["note"].build(points["2023 год"], demo)

    plan = table(report, "Плановые и фактические значения")
    assert len(plan.data_rows) == 13
    groups = [title for title, _ in plan.column_groups]
    assert groups[1:5] == ["2020 год", "2021 год", "2022 год", "2023 год"]
    # Columns: №, indicator, unit, 2020 fact, then fact and plan for each of 2021–2023.
    for phrase, base, *targets in MEGION_INDICATORS:
        rows = [r for r in plan.data_rows if phrase in normal(r.values[1])]
        assert len(rows) == 1, phrase
        values = rows[0].values
        assert values[3] == Decimal(base), phrase
        assert [values[5], values[7], values[9]] == [Decimal(t) for t in targets], phrase

    # Program-wide values are one row «по программе» per indicator, not a row per school.
    for values in (t for t in report.tables() if t.title.startswith("Значения на точке")):
        assert [r.values[0] for r in values.data_rows] == ["по программе"]

    text = check_pdf(render_pdf(report))
    for phrase, base, *targets in MEGION_INDICATORS:
        assert re.search(
            re.escape(phrase) + r".{0,400}?%\s*" + numbers_pattern(base, *targets), text
        ), phrase
    check_workbook(report)


def test_perm_roadmap_execution_lists_its_18_items(demo):
    perm = program_of(region__name__icontains="Перм")
    roadmap = Roadmap.objects.filter(program=perm).annotate(n=Count("items")).order_by("-n").first()
    report = KINDS["roadmap"].build(roadmap, demo)
    items = table(report, "Мероприятия").data_rows
    assert len(items) == 18
    assert sorted(int(re.sub(r"\D", "", r.values[0])) for r in items) == list(range(1, 19))
    text = check_pdf(render_pdf(report))
    for row in items:
        assert normal(row.values[1]) in text, row.values[1]
        assert normal(row.values[2]) in text  # the deadline as written: «Октябрь», «Ноябрь»
    check_workbook(report)


def test_surgut_half_year_report_names_the_5_pairs(demo):
    surgut = program_of(municipality__name__icontains="Сургут")
    report = KINDS["half-year"].build(
        surgut, demo, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 6, 30)
    )
    pairs = table(report, "Пары «куратор — школа»").data_rows
    assert len(pairs) == 5
    curators = " ".join(r.values[1] for r in pairs)
    supported = " ".join(r.values[2] for r in pairs)
    for name in SURGUT_CURATORS:
        assert curators.count(name) >= SURGUT_CURATORS.count(name), name
    for name in SURGUT_SUPPORTED:
        assert name in supported, name
    text = check_pdf(render_pdf(report))
    for row in pairs:
        assert normal(row.values[1]) in text and normal(row.values[2]) in text
    # The items of the first half of 2023 are there with their state: «Старт Проекта», January.
    items = table(report, "Пункты со сроком в периоде")
    assert any("старт проекта" in normal(r.values[1]) for r in items.data_rows)
    assert all(
        r.values[3] is None or r.values[3] <= datetime.date(2023, 6, 30) for r in items.data_rows
    )
    check_workbook(report)


def test_every_report_of_every_demo_program_renders(demo):
    for program in Program.objects.all():
        for slug in ("passport", "half-year", "events"):
            report = KINDS[slug].build(program, demo)
            check_pdf(render_pdf(report))
            check_workbook(report)
        for roadmap in program.roadmaps.all():
            check_workbook(KINDS["roadmap"].build(roadmap, demo))
    megion = program_of(municipality__name__icontains="Мегион")
    passport = KINDS["passport"].build(megion, demo)
    indicators = table(passport, "Показатели")
    assert len(indicators.data_rows) == 13
    # Columns: №, indicator, unit, source, comparison, 2020 value, plans for 2021–2023.
    for phrase, *values in MEGION_INDICATORS:
        (row,) = [r for r in indicators.data_rows if phrase in normal(r.values[1])]
        assert row.values[5:] == [Decimal(v) for v in values], phrase
