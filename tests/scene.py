"""Fixtures for the pages of curators and school teams, shared by tests/{schools,programs,
roadmaps,monitoring,browser}: everything a page needs, inside the `world` program and outside it
(in the other municipality), and sample files of each kind.

Imported by the conftest of each of those folders.
"""

import datetime
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Document, DocumentVersion, Participant
from roadmaps.models import Evidence, ItemReport, Roadmap
from schools.models import RiskFactor, RiskLevel, RiskProfile

from . import factories as f


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# Smallest files that pass the content check of their format.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
ODS = zip_bytes(
    {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}
)


def upload(name="отчёт.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_side(program, school, *, today, label):
    """A program's roadmap with a current and a late item, indicators, points, a value, a
    document and evidence, for `school`."""
    module = f.ModuleFactory(program=program, title=f"Модуль «{label}»")
    roadmap = f.RoadmapFactory(program=program, title=f"Дорожная карта {label}")
    item = f.RoadmapItemFactory(
        roadmap=roadmap,
        module=module,
        title=f"Разработать программу перехода {label}",
        starts_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=5),
        schedule_text="в течение месяца",
    )
    item.responsible.add(school)
    late_item = f.RoadmapItemFactory(
        roadmap=roadmap,
        module=module,
        title=f"Провести самодиагностику {label}",
        starts_on=today - datetime.timedelta(days=60),
        due_on=today - datetime.timedelta(days=3),
        schedule_text="Март",
    )
    late_item.responsible.add(school)
    report = ItemReport.objects.create(
        item=item, status=item.status, text="Начали работу", organization=school
    )
    evidence = Evidence(report=report, original_name="приказ.pdf", size=len(PDF))
    evidence.file.save("приказ.pdf", io.BytesIO(PDF), save=True)

    baseline = f.MonitoringPointFactory(
        program=program,
        title=f"Базовые значения {label}",
        kind=MonitoringPoint.Kind.BASELINE,
        date=today - datetime.timedelta(days=200),
        entry_deadline=today - datetime.timedelta(days=150),
    )
    point = f.MonitoringPointFactory(
        program=program,
        title=f"Мониторинг {label}",
        date=today + datetime.timedelta(days=20),
        entry_deadline=today + datetime.timedelta(days=30),
    )
    percent = f.IndicatorFactory(
        program=program,
        code="1",
        title="Доля обучающихся с отметкой «2» по ВПР",
        direction=Indicator.Direction.DOWN,
        order=1,
    )
    count = f.IndicatorFactory(
        program=program,
        code="2",
        title="Число педагогов, прошедших КПК",
        unit=Indicator.Unit.COUNT,
        order=2,
    )
    yes_no = f.IndicatorFactory(
        program=program,
        code="3",
        title="Программа перехода в эффективный режим принята",
        unit=Indicator.Unit.YES_NO,
        order=3,
    )
    computed = f.IndicatorFactory(
        program=program,
        code="4",
        title="Доля выполненных мероприятий дорожной карты",
        method=Indicator.Method.ITEMS_DONE_SHARE,
        order=4,
    )
    f.TargetFactory(
        indicator=percent,
        point=point,
        value=10,
        comparison=Target.Comparison.LE,
        text="не более 10 %",
    )
    f.MeasurementFactory(
        indicator=percent,
        point=baseline,
        organization=school,
        value=25,
        status=Measurement.Status.APPROVED,
    )
    measurement = f.MeasurementFactory(
        indicator=percent,
        point=point,
        organization=school,
        value=18,
        status=Measurement.Status.SUBMITTED,
    )
    document = f.DocumentFactory(program=program, organization=school, title=f"ССП {label}")
    version = DocumentVersion(
        document=document, number=1, original_name="программа.pdf", size=len(PDF)
    )
    version.file.save("программа.pdf", io.BytesIO(PDF), save=True)
    document.file.name = version.file.name
    document.version = 1
    document.save()
    return SimpleNamespace(
        program=program,
        school=school,
        module=module,
        roadmap=roadmap,
        item=item,
        late_item=late_item,
        report=report,
        evidence=evidence,
        baseline=baseline,
        point=point,
        indicators=[percent, count, yes_no],
        computed=computed,
        percent=percent,
        count=count,
        yes_no=yes_no,
        measurement=measurement,
        document=document,
        version=version,
    )


@pytest.fixture
def factors(db):
    return [
        RiskFactor.objects.create(
            code="1", title="Низкий уровень оснащения школы", group="Ресурсы", order=1
        ),
        RiskFactor.objects.create(
            code="2", title="Дефицит педагогических кадров", group="Кадры", order=2
        ),
        RiskFactor.objects.create(
            code="3",
            title="Высокая доля обучающихся с рисками учебной неуспешности",
            group="Обучающиеся",
            order=3,
        ),
    ]


def make_profile(school, factors, levels, assessed_on):
    profile = RiskProfile.objects.create(school=school, assessed_on=assessed_on)
    for factor, level in zip(factors, levels, strict=True):
        RiskLevel.objects.create(profile=profile, factor=factor, level=level)
    return profile


@pytest.fixture
def scene(world, factors):
    """`inside`: the world's program and its supported school; `outside`: a program of the
    other municipality with the outsider school. Plus risk profiles of both schools."""
    today = timezone.localdate()
    inside = make_side(world.program, world.supported_school, today=today, label="Вектор")
    other_program = f.ProgramFactory(owner=world.other_authority, short_title="Мегион-500")
    f.ParticipantFactory(
        program=other_program,
        organization=world.outsider_school,
        role=Participant.Role.SUPPORTED,
    )
    outside = make_side(other_program, world.outsider_school, today=today, label="Мегион")
    high, low = RiskLevel.Level.HIGH, RiskLevel.Level.LOW
    inside.old_profile = make_profile(
        world.supported_school, factors, [high, high, low], today - datetime.timedelta(days=365)
    )
    inside.profile = make_profile(
        world.supported_school, factors, [low, high, high], today - datetime.timedelta(days=30)
    )
    outside.profile = make_profile(
        world.outsider_school, factors, [high, low, low], today - datetime.timedelta(days=30)
    )
    pair_roadmap = f.RoadmapFactory(
        program=world.program,
        level=Roadmap.Level.PAIR,
        pair=world.pair,
        title="Дорожная карта пары",
    )
    return SimpleNamespace(
        inside=inside,
        outside=outside,
        pair_roadmap=pair_roadmap,
        factors=factors,
        Document=Document,
        today=today,
    )
