"""Карточка школы: its statuses by year, its risk profile and how it changed, its pairs and
curators, the progress of its roadmaps, and its indicator values against the targets."""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from core import timezones
from dashboards.charts import dynamics_chart
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Participant, Program
from roadmaps.models import ItemExecution, RoadmapItem, completion_annotations, completion_share
from schools.models import Organization, RiskLevel, RiskProfile

from .common import ReportKind, filename, lateness, unit_label
from .document import (
    Cell,
    Chart,
    Charts,
    Column,
    Facts,
    GroupRow,
    Paragraph,
    Report,
    Row,
    Section,
    Table,
)
from .passport import agreement_text, pairs_queryset
from .svg import printable

TITLE = "Карточка школы"
# Profiles compared side by side; older ones stay on the school's page.
PROFILES_SHOWN = 4


def build(school, user):
    zone = timezones.tzinfo(school.region.timezone)
    now = timezone.localtime(timezone.now(), zone)
    programs = list(
        Program.objects.visible_to(user)
        .filter(
            Q(participants__organization=school)
            | Q(pairs__supported_school=school)
            | Q(pairs__curator_school=school)
        )
        .distinct()
        .order_by("short_title")
    )
    report = Report(
        kind=KIND.slug,
        title=TITLE,
        subtitle=school.name,
        running_title=f"{school.short_name}, {school.territory_name}",
        running_subtitle="; ".join(
            f"{p.short_title}" + (f" ({p.order_display})" if p.order_display else "")
            for p in programs
        ),
        made_at=now,
        filename=filename(TITLE, school.short_name),
        landscape=True,
    )
    report.add(general_section(school, programs))
    report.add(statuses_section(school))
    report.add(risk_section(school, user))
    report.add(pairs_section(school, user))
    report.add(roadmaps_section(school, user, now))
    report.add(indicators_section(school, user, programs))
    return report


def general_section(school, programs):
    roles = defaultdict(list)
    for p in Participant.objects.filter(organization=school, program__in=programs):
        roles[p.program_id].append(p.get_role_display())
    taking_part = "; ".join(
        p.short_title + (f" — {', '.join(roles[p.pk])}" if roles[p.pk] else "") for p in programs
    )
    return Section("Общие сведения").add(
        Facts(
            [
                ("Полное название", school.name),
                ("Территория", school.territory_name),
                ("Головная школа", school.parent.name if school.parent else None),
                ("Адрес", school.address or None),
                ("Программы", taking_part or None),
            ]
        )
    )


def statuses_section(school):
    return Section("Статусы по годам").add(
        Table(
            "Статусы по годам",
            [Column("Год", width="10%"), Column("Категория", width="45%"), Column("Основание")],
            [
                Row([str(s.year), s.get_category_display(), s.source])
                for s in school.statuses.order_by("-year", "category")
            ],
            empty_text="Статусы не указаны.",
        )
    )


def risk_section(school, user):
    profiles = list(
        RiskProfile.objects.visible_to(user)
        .submitted()
        .filter(school=school)
        .order_by("-assessed_on")[:PROFILES_SHOWN]
    )[::-1]
    section = Section("Рисковый профиль и его динамика")
    if not profiles:
        return section.add(Paragraph("Рисковый профиль не заполнен."))
    levels = {}
    factors = {}
    for level in RiskLevel.objects.filter(profile__in=profiles).select_related("factor"):
        levels[level.profile_id, level.factor_id] = level
        factors[level.factor_id] = level.factor
    columns = [Column("Фактор риска", width="40%")]
    columns += [Column(f"{p.assessed_on:%d.%m.%Y}", width="12%") for p in profiles]
    if len(profiles) > 1:
        columns.append(Column("Изменение", width="12%"))
    rows, group = [], None
    for factor in sorted(factors.values(), key=lambda f: (f.order, f.code)):
        if factor.group != group:
            group = factor.group
            rows.append(GroupRow(group))
        cells = [f"{factor.code}. {factor.title}"]
        found = [levels.get((p.pk, factor.pk)) for p in profiles]
        cells += [level.get_level_display() if level else None for level in found]
        if len(profiles) > 1:
            cells.append(_risk_change(found[-2], found[-1]))
        rows.append(Row(cells))
    return section.add(
        Table(
            "Рисковый профиль",
            columns,
            rows,
            note="Изменение — между двумя последними профилями.",
        )
    )


def _risk_change(before, after):
    if before is None or after is None:
        return None
    if after.severity < before.severity:
        return Cell("снизился", "good")
    if after.severity > before.severity:
        return Cell("вырос", "bad")
    return "без изменений"


def pairs_section(school, user):
    pairs = (
        pairs_queryset(user)
        .filter(Q(supported_school=school) | Q(curator_school=school))
        .select_related("program")
        .order_by("program__short_title", "pk")
    )
    return Section("Пары и кураторы").add(
        Table(
            "Пары и кураторы",
            [
                Column("Программа", width="18%"),
                Column("Школа-куратор", width="22%"),
                Column("Школа адресной поддержки", width="22%"),
                Column("Кураторы", width="22%"),
                Column("Соглашение", width="16%"),
            ],
            [
                Row(
                    [
                        pair.program.short_title,
                        pair.curator_school.short_name,
                        pair.supported_school.short_name,
                        ", ".join(c.display_name for c in pair.curators.all()),
                        agreement_text(pair),
                    ]
                )
                for pair in pairs
            ],
            empty_text="Школа не входит в пары.",
        )
    )


def roadmaps_section(school, user, now):
    items = RoadmapItem.objects.visible_to(user).filter(
        Q(roadmap__organization=school)
        | Q(roadmap__pair__supported_school=school)
        | Q(pk__in=ItemExecution.objects.filter(organization=school).values("item"))
    )
    programs = list(
        Program.objects.filter(pk__in=items.values("roadmap__program")).select_related(
            "region", "municipality__region"
        )
    )
    by_roadmap = (
        items.values("roadmap_id", "roadmap__title", "roadmap__program__short_title")
        .annotate(**completion_annotations(now, programs=programs))
        .order_by("roadmap__program__short_title", "roadmap__title", "roadmap_id")
    )
    progress = [
        Row(
            [
                row["roadmap__program__short_title"],
                row["roadmap__title"],
                row["total"],
                row["done"],
                Cell(row["late"], "bad" if row["late"] else None),
                completion_share(row["done"], row["total"]),
            ]
        )
        for row in by_roadmap
    ]
    late_rows = [
        Row([i.roadmap.title, i.number, i.title, i.schedule_text, i.due_on, lateness(i, now)])
        for i in items.late(now, programs)
        .select_related("roadmap__program__region", "roadmap__program__municipality__region")
        .order_by("roadmap__program__short_title", "roadmap__title", "order", "pk")
    ]
    section = Section("Исполнение дорожных карт").add(
        Table(
            "Исполнение дорожных карт",
            [
                Column("Программа", width="16%"),
                Column("Дорожная карта", width="36%"),
                Column("Пунктов", "number", width="12%"),
                Column("Выполнено", "number", width="12%"),
                Column("Просрочено", "number", width="12%"),
                Column("Выполнено, %", "number", width="12%"),
            ],
            progress,
            empty_text="Пунктов дорожных карт, за которые отвечает школа, нет.",
            note="Учтены дорожные карты школы и её пары и мероприятия, где школа — "
            "ответственный исполнитель; отменённые не считаются.",
        )
    )
    if late_rows:
        section.add(
            Table(
                "Просроченные пункты дорожных карт",
                [
                    Column("Дорожная карта", width="22%"),
                    Column("№", width="6%"),
                    Column("Пункт дорожной карты", width="40%"),
                    Column("Срок реализации", width="12%"),
                    Column("Срок", "date", width="10%"),
                    Column("Просрочено", width="10%"),
                ],
                late_rows,
            )
        )
    return section


def indicators_section(school, user, programs):
    section = Section("Показатели")
    if not programs:
        return section.add(Paragraph("Школа не участвует в программах."))
    values = {
        (indicator_id, point_id): value
        for indicator_id, point_id, value in Measurement.objects.visible_to(user)
        .counted()
        .filter(organization=school)
        .values_list("indicator_id", "point_id", "value")
    }
    indicators = [
        i
        for i in Indicator.objects.visible_to(user).filter(program__in=programs)
        if i.level == Indicator.Level.SCHOOL or any(k[0] == i.pk for k in values)
    ]
    points = defaultdict(list)
    for point in MonitoringPoint.objects.visible_to(user).filter(program__in=programs):
        points[point.program_id].append(point)
    # The target that applies to the school at each point (`TargetQuerySet.pick`).
    candidates = defaultdict(list)
    for target in Target.objects.for_school(school).filter(indicator__program__in=programs):
        candidates[target.indicator_id].append(target)
    targets = {
        (indicator.pk, point.pk): target
        for indicator in indicators
        for point in points[indicator.program_id]
        if (
            target := Target.objects.pick(
                candidates[indicator.pk], indicator.pk, point.pk, school.pk
            )
        )
        is not None
    }
    by_program = defaultdict(list)
    for indicator in indicators:
        by_program[indicator.program_id].append(indicator)
    charts = []
    for program in programs:
        mine = by_program.get(program.pk)
        if not mine:
            continue
        shown = [
            p
            for p in points[program.pk]
            if any((i.pk, p.pk) in values or (i.pk, p.pk) in targets for i in mine)
        ]
        columns = [Column("№", width="5%"), Column("Показатель"), Column("Ед.", width="6%")]
        groups = [("", 3)]
        for p in shown:
            columns += [Column("факт", "number", width="7%"), Column("план", "number", width="7%")]
            groups.append((p.title, 2))
        rows = []
        for indicator in mine:
            cells = [indicator.code, indicator.display_title, unit_label(indicator)]
            for p in shown:
                value, target = values.get((indicator.pk, p.pk)), targets.get((indicator.pk, p.pk))
                met = target.is_met_by(value) if target is not None else None
                cells.append(Cell(value, None if met is None else ("good" if met else "bad")))
                cells.append(target.value if target is not None else None)
            rows.append(Row(cells))
            series = [values.get((indicator.pk, p.pk)) for p in points[program.pk]]
            if sum(v is not None for v in series) >= 2:
                title = f"{program.short_title}: {indicator.code}. {indicator.display_title}"
                plan = [
                    t.value if (t := targets.get((indicator.pk, p.pk))) else None
                    for p in points[program.pk]
                ]
                svg = dynamics_chart(
                    "",
                    [p.title for p in points[program.pk]],
                    {school.short_name: series},
                    target=plan,
                    unit="%" if indicator.unit == Indicator.Unit.PERCENT else "",
                    width=560,
                    height=300,
                )
                charts.append(Chart(title, printable(svg)))
        section.add(
            Table(
                f"Показатели: {program.short_title}",
                columns,
                rows,
                column_groups=groups,
                note="Учтены утверждённые значения; план — цель школы, а где её нет — "
                "цель программы.",
            )
        )
    if charts:
        section.add(Charts(charts))
    return section


KIND = ReportKind(
    slug="school",
    title=TITLE,
    subject_label="школа",
    subject_model=Organization,
    queryset=lambda: Organization.objects.schools().select_related(
        "region", "municipality", "parent"
    ),
    build=build,
    applies_to=lambda organization: organization.is_school,
)
