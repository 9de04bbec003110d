"""A program filled with what the reports read, on top of the `world` fixture: a roadmap with
items in every state, events with attendance, indicators with a baseline, targets and values,
reviewed documents, risk profiles. `add_schools` grows it, for the query-count tests."""

import datetime
from types import SimpleNamespace

from monitoring.models import Indicator, Measurement, MonitoringPoint
from programs.models import Document, Participant, Review
from roadmaps.models import Evidence, ItemReport, RoadmapItem
from schools.models import RiskFactor, RiskLevel, RiskProfile, SchoolStatus
from tests import factories as f
from tests.scene import make_profile

APPROVED = Measurement.Status.APPROVED
AWARE = datetime.UTC


def moment(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=AWARE)


def fill_program(world):
    program = world.program
    program.order_number, program.order_date = "1030", datetime.date(2022, 12, 30)
    program.goal = "Повышение качества образования в школах адресной поддержки"
    program.save()
    program.tasks.create(number="1", text="Установить пары для сетевого взаимодействия")
    program.stages.create(
        title="Основной этап",
        starts_on=datetime.date(2023, 2, 1),
        ends_on=datetime.date(2023, 11, 30),
    )
    start_module = f.ModuleFactory(program=program, title="Есть проект", order=1)
    success_module = f.ModuleFactory(program=program, title="Стратегия успеха", order=2)
    f.AgreementFactory(pair=world.pair, number="7", signed_on=datetime.date(2023, 2, 1))

    roadmap = f.RoadmapFactory(program=program, title="Дорожная карта проекта «Вектор»")
    item = f.RoadmapItemFactory
    done = item(
        roadmap=roadmap,
        module=start_module,
        title="Старт проекта",
        schedule_text="Январь 2023",
        starts_on=datetime.date(2023, 1, 1),
        due_on=datetime.date(2023, 1, 31),
        status=RoadmapItem.Status.DONE,
        completed_on=datetime.date(2023, 1, 20),
    )
    done.responsible.add(world.authority)
    report = ItemReport.objects.create(item=done, status=RoadmapItem.Status.DONE, text="Проведено")
    for name in ("приказ.pdf", "протокол.pdf"):
        Evidence.objects.create(
            report=report, file=f"evidence/{done.pk}/{name}", original_name=name
        )
    late = item(
        roadmap=roadmap,
        module=start_module,
        title="Верификация факторов риска",
        schedule_text="Февраль 2023",
        starts_on=datetime.date(2023, 2, 1),
        due_on=datetime.date(2023, 2, 28),
        status=RoadmapItem.Status.IN_PROGRESS,
    )
    late.responsible.add(world.supported_school)
    done_late = item(
        roadmap=roadmap,
        module=success_module,
        title="Мониторинг первого этапа позитивных изменений",
        schedule_text="Май 2023",
        status=RoadmapItem.Status.DONE,
        completed_on=datetime.date(2023, 6, 15),
    )
    autumn = item(
        roadmap=roadmap,
        module=success_module,
        title="Мониторинг второго этапа позитивных изменений",
        schedule_text="Октябрь 2023",
        starts_on=datetime.date(2023, 10, 1),
        due_on=datetime.date(2023, 10, 31),
        status=RoadmapItem.Status.CANCELLED,
    )

    seminar = f.EventFactory(
        program=program, title="Семинар «Есть проект»", starts_at=moment(2023, 3, 15)
    )
    seminar.invited.add(world.supported_school, world.curator_school, world.branch)
    f.AttendanceFactory(event=seminar, organization=world.supported_school, people_count=4)
    f.AttendanceFactory(event=seminar, organization=world.curator_school, people_count=2)
    audit = f.EventFactory(
        program=program, title="Методический аудит", starts_at=moment(2023, 9, 20)
    )
    audit.invited.add(world.supported_school)

    baseline = f.MonitoringPointFactory(
        program=program,
        title="Стартовая диагностика",
        date=datetime.date(2022, 12, 31),
        kind=MonitoringPoint.Kind.BASELINE,
    )
    spring = f.MonitoringPointFactory(
        program=program, title="Первый этап", date=datetime.date(2023, 5, 31)
    )
    autumn_point = f.MonitoringPointFactory(
        program=program, title="Второй этап", date=datetime.date(2023, 10, 31)
    )
    quality = f.IndicatorFactory(
        program=program, code="1", title="Качество знаний по итогам ВПР", order=1
    )
    failing = f.IndicatorFactory(
        program=program,
        code="2",
        title="Доля неуспевающих обучающихся",
        direction=Indicator.Direction.DOWN,
        order=2,
    )
    network = f.IndicatorFactory(
        program=program,
        code="3",
        title="Доля образовательных программ в сетевой форме",
        level=Indicator.Level.PROGRAM,
        order=3,
    )
    for point, value in ((spring, 40), (autumn_point, 45)):
        f.TargetFactory(indicator=quality, point=point, value=value)
    f.TargetFactory(indicator=failing, point=spring, value=10, comparison="le")
    for point, value in ((spring, 5), (autumn_point, 10)):
        f.TargetFactory(indicator=network, point=point, value=value)

    def measure(indicator, point, organization, value, status=APPROVED):
        return f.MeasurementFactory(
            indicator=indicator,
            point=point,
            organization=organization,
            value=value,
            status=status,
        )

    # The supported school improves quality (30 → 42) but more of its pupils fail (8 → 12).
    measure(quality, baseline, world.supported_school, 30)
    measure(quality, spring, world.supported_school, 42)
    measure(failing, baseline, world.supported_school, 8)
    measure(failing, spring, world.supported_school, 12)
    measure(network, baseline, None, 0)
    measure(network, spring, None, 5)

    document = f.DocumentFactory(
        program=program,
        organization=world.supported_school,
        title="Среднесрочная программа «Вектор на развитие»",
        status=Document.Status.APPROVED,
    )
    Review.objects.create(
        document=document,
        reviewer=world.coordinator,
        verdict=Review.Verdict.APPROVED,
        decided_at=moment(2023, 3, 20),
    )

    SchoolStatus.objects.create(
        school=world.supported_school,
        year=2022,
        category=SchoolStatus.Category.RISK_ZONE,
        source="Итоги идентификации 2022",
    )
    motivation = RiskFactor.objects.create(
        code="7", title="Низкая учебная мотивация", group="Обучающиеся", order=7
    )
    staff = RiskFactor.objects.create(
        code="1", title="Дефицит педагогических кадров", group="Кадры", order=1
    )
    level = RiskLevel.Level
    for assessed_on, levels in (
        (datetime.date(2022, 10, 1), [level.HIGH, level.LOW]),
        (datetime.date(2023, 10, 1), [level.LOW, level.MEDIUM]),
    ):
        make_profile(world.supported_school, [motivation, staff], levels, assessed_on)

    return SimpleNamespace(
        program=program,
        roadmap=roadmap,
        items=SimpleNamespace(done=done, late=late, done_late=done_late, cancelled=autumn),
        modules=(start_module, success_module),
        events=(seminar, audit),
        points=SimpleNamespace(baseline=baseline, spring=spring, autumn=autumn_point),
        indicators=SimpleNamespace(quality=quality, failing=failing, network=network),
        document=document,
    )


def add_schools(world, filled, count):
    """`count` more supported schools, each paired, with values, attendance and an item."""
    from schools.models import Organization

    program = world.program
    seminar = filled.events[0]
    points = filled.points
    added = Organization.objects.filter(short_name__startswith="МБОУ «Школа ").count()
    for n in range(added, added + count):
        school = f.OrganizationFactory(
            municipality=world.municipality, short_name=f"МБОУ «Школа {n + 1:03d}»"
        )
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
        pair = f.CuratorPairFactory(
            program=program, curator_school=world.curator_school, supported_school=school
        )
        f.CuratorFactory(pair=pair, organization=world.curator_school, full_name=f"Куратор {n}")
        f.AgreementFactory(pair=pair)
        for point, value in ((points.baseline, 30 + n % 7), (points.spring, 28 + n % 11)):
            f.MeasurementFactory(
                indicator=filled.indicators.quality,
                point=point,
                organization=school,
                value=value,
                status=APPROVED,
            )
        f.MeasurementFactory(
            indicator=filled.indicators.failing,
            point=points.spring,
            organization=school,
            value=n % 15,
            status=Measurement.Status.SUBMITTED,
        )
        seminar.invited.add(school)
        if n % 2:
            f.AttendanceFactory(event=seminar, organization=school, people_count=1 + n % 3)
        item = f.RoadmapItemFactory(
            roadmap=filled.roadmap,
            module=filled.modules[n % 2],
            title=f"Консультация для школы {n + 1}",
            due_on=datetime.date(2023, 4, 1 + n % 28),
            starts_on=None,
        )
        item.responsible.add(school)
        RiskProfile.objects.create(school=school, assessed_on=datetime.date(2023, 1, 1))
        SchoolStatus.objects.create(school=school, year=2023)


# Reading what the renderers wrote, independently of the code that wrote it.


def pdf_reader(content):
    import io

    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content))


def pdf_text(content):
    """The text of every page, whitespace collapsed, so that a cell wrapped over two lines
    still reads as one phrase."""
    reader = pdf_reader(content)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_page_texts(content):
    return [" ".join(page.extract_text().split()) for page in pdf_reader(content).pages]


def pdf_fonts(content):
    """{base name: embedded?} of every font the PDF uses, in its pages and in the drawings
    (charts) they place."""
    found = {}

    def embedded(font):
        descriptors = [font.get("/FontDescriptor")] + [
            d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts") or []
        ]
        return any(
            any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            for d in descriptors
            if d is not None
        )

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = embedded(font)
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                walk(xobject["/Resources"])

    for page in pdf_reader(content).pages:
        walk(page.get("/Resources"))
    return found


def workbook(content):
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def sheet_rows(sheet, header_row, width):
    """Rows under the header until the first empty row, each cut to the table's width."""
    rows = []
    for row in sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(list(row))
    return rows


def expected_row(row, width):
    """A definition's row as the workbook should hold it: a group row is its text in the first
    cell; numbers compare as floats, dates as datetimes, «да»/«нет» for booleans."""
    from decimal import Decimal

    from reports.document import value_of

    if row.is_group:
        return [row.text] + [None] * (width - 1)
    cells = []
    for cell in row.cells:
        value = value_of(cell)
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, datetime.datetime):
            value = value.replace(tzinfo=None)
        elif isinstance(value, datetime.date):
            value = datetime.datetime.combine(value, datetime.time())
        elif isinstance(value, bool):
            value = "да" if value else "нет"
        elif value == "":
            value = None
        cells.append(value)
    return cells


def table(report, title):
    """The report's table with this title (or whose title starts with it)."""
    found = [t for t in report.tables() if t.title == title or t.title.startswith(title)]
    assert found, f"нет таблицы «{title}» среди {[t.title for t in report.tables()]}"
    return found[0]


def section(report, heading):
    found = [s for s in report.sections if s.heading.startswith(heading)]
    assert found, f"нет раздела «{heading}» среди {[s.heading for s in report.sections]}"
    return found[0]


def row_of(table_, first):
    """The data row whose first cell is `first`."""
    found = [r for r in table_.data_rows if r.values[0] == first]
    assert found, f"нет строки «{first}» в таблице «{table_.title}»"
    return found[0]


def facts(report, heading):
    return dict(
        item for block in section(report, heading).blocks if block.block == "facts"
        for item in block.items
    )  # fmt: skip


def paragraphs(report, heading):
    return [b.text for b in section(report, heading).blocks if b.block == "paragraph"]
