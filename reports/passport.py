"""Паспорт программы: the order, goal, tasks, stages, modules, participants, pairs and the
indicators with their baseline and planned values."""

from collections import defaultdict

from django.db.models import Count, F, Prefetch, Q

from dashboards.scope import WHOLE
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Curator, CuratorPair, Participant, Program
from roadmaps.models import RoadmapItem, completion_annotations
from schools.models import Organization

from .common import (
    ReportKind,
    coverage,
    program_subjects,
    unit_label,
)
from .document import Column, Facts, GroupRow, Paragraph, Row, Section, Table
from .territory import breakdown, subtitle_with

TITLE = "Паспорт программы"


def build(program, user, scope=WHOLE):
    covered = coverage(program, user, scope)
    scope = covered.scope
    shown = breakdown(covered.schools(), scope)
    name = program.short_title + (f", {scope.territory}" if scope.territory else "")
    report = KIND.start(
        program,
        subtitle=subtitle_with(scope, program.title),
        name=name,
        landscape=shown.is_summary,
    )
    report.add(shown.notice())
    report.add(general_section(program))
    report.add(goal_section(program))
    report.add(structure_section(program))
    if shown.is_summary:
        report.add(territories_section(program, covered, shown))
    else:
        report.add(participants_section(program, scope))
        report.add(pairs_section(program, covered))
    report.add(indicators_section(program, covered))
    return report


def period_text(starts_on, ends_on):
    if not starts_on and not ends_on:
        return None
    start = f"{starts_on:%d.%m.%Y}" if starts_on else "…"
    end = f"{ends_on:%d.%m.%Y}" if ends_on else "…"
    return f"{start} — {end}"


def general_section(program):
    order = program.order_display
    if order and program.order_title:
        order = f"{order} «{program.order_title}»"
    return Section("Общие сведения").add(
        Facts(
            [
                ("Наименование", program.title),
                ("Уровень", program.get_level_display()),
                ("Территория", program.territory_name),
                ("Орган управления образованием", program.owner.name),
                ("Оператор", program.operator.name if program.operator else None),
                ("Приказ", order or None),
                ("Сроки реализации", period_text(program.starts_on, program.ends_on)),
                ("Состояние", program.get_status_display()),
            ]
        )
    )


def goal_section(program):
    section = Section("Цель и задачи")
    if program.description:
        section.add(Paragraph(program.description))
    section.add(Paragraph(f"Цель: {program.goal}" if program.goal else "Цель не указана."))
    tasks = Table(
        "Задачи",
        [Column("№", width="6%"), Column("Задача")],
        [Row([task.number or str(n), task.text]) for n, task in enumerate(program.tasks.all(), 1)],
        empty_text="Задачи не указаны.",
    )
    results = Table(
        "Ожидаемые результаты",
        [Column("№", width="6%"), Column("Результат")],
        [Row([str(n), r.text]) for n, r in enumerate(program.expected_results.all(), 1)],
        empty_text="Ожидаемые результаты не указаны.",
    )
    return section.add(tasks, results)


def structure_section(program):
    stages = Table(
        "Этапы",
        [
            Column("Этап", width="28%"),
            Column("Начало", "date", width="12%"),
            Column("Окончание", "date", width="12%"),
            Column("Содержание"),
        ],
        [Row([s.title, s.starts_on, s.ends_on, s.description]) for s in program.stages.all()],
        empty_text="Этапы не указаны.",
    )
    modules = Table(
        "Модули",
        [Column("Модуль", width="28%"), Column("Описание")],
        [Row([m.title, m.description]) for m in program.modules.all()],
        empty_text="Модули не выделены.",
    )
    return Section("Этапы и модули").add(stages, modules)


def roles_table(program):
    return Table(
        "Функции участников",
        [Column("Участник", width="28%"), Column("Функции")],
        [Row([r.title, r.functions_text]) for r in program.roles.all()],
        empty_text="Функции участников не описаны.",
    )


def participants_section(program, scope=WHOLE, schools=True):
    """The participants one by one, by role; in a territory's passport those of the territory;
    without `schools`, only the organizations that are not schools (a summary counts those)."""
    rows, role = [], None
    participants = (
        program.participants.filter(scope.organizations("organization"))
        .select_related("organization__municipality", "organization__region")
        .order_by("role", "organization__short_name")
    )
    if not schools:
        participants = participants.exclude(organization__kind=Organization.Kind.SCHOOL)
    for p in participants:
        if p.role != role:
            role = p.role
            rows.append(GroupRow(p.get_role_display()))
        rows.append(Row([p.organization.name, p.organization.territory_name, p.note]))
    participants_table = Table(
        "Участники" if schools else "Участники, кроме школ",
        [
            Column("Организация", width="55%"),
            Column("Территория", width="20%"),
            Column("Примечание"),
        ],
        rows,
        empty_text="Участники не указаны.",
    )
    return Section("Участники").add(participants_table, roles_table(program))


def agreement_text(pair):
    latest = pair.signed_agreement
    if latest is None:
        return "не подписано"
    number = f"№ {latest.number} " if latest.number else ""
    return f"{number}от {latest.signed_on:%d.%m.%Y}"


def pair_rows():
    """Pairs with what their table shows."""
    return CuratorPair.objects.select_related(
        "curator_school", "supported_school"
    ).prefetch_related(
        Prefetch("curators", queryset=Curator.objects.select_related("user")),
        "agreements",
    )


def pairs_queryset(user):
    return pair_rows().visible_to(user)


def pairs_table(pairs):
    return Table(
        "Пары «куратор — школа»",
        [
            Column("№", width="5%"),
            Column("Школа-куратор", width="25%"),
            Column("Школа адресной поддержки", width="25%"),
            Column("Кураторы", width="27%"),
            Column("Соглашение", width="18%"),
        ],
        [
            Row(
                [
                    pair.number or str(n),
                    pair.curator_school.short_name,
                    pair.supported_school.short_name,
                    ", ".join(c.display_name for c in pair.curators.all()),
                    agreement_text(pair),
                ]
            )
            for n, pair in enumerate(pairs, 1)
        ],
        empty_text="Пары не образованы.",
    )


def pairs_section(program, covered):
    """The program's pairs whose supported school is one of the report's."""
    pairs = covered.of_schools(pair_rows().filter(program=program), "supported_school")
    return Section("Пары для сетевого взаимодействия").add(pairs_table(pairs))


TERRITORY_COUNTS = ("supported", "curators", "pairs", "signed", "total", "done", "late")


def territory_counts(program, covered, shown):
    """{territory id: counts} of the summary: supported schools (`Program.supported_schools`),
    curator schools, pairs by their supported school, pairs with a signed agreement, and the
    completion (`completion_annotations`) of the items of the territory's school and pair
    roadmaps (`RoadmapItemQuerySet.by_school_territory`; the program's own roadmaps under None).
    Five grouped queries, whatever the number of schools."""
    key, scope = shown.key, shown.scope
    counts = defaultdict(lambda: dict.fromkeys(TERRITORY_COUNTS, 0))
    schools = covered.schools()
    for tid, n in (
        schools.order_by()
        .values(territory=F(key))
        .annotate(n=Count("pk"))
        .values_list("territory", "n")
    ):
        counts[tid]["supported"] = n
    curators = covered.visible(
        Organization.objects.filter(
            pk__in=program.participants.filter(role=Participant.Role.CURATOR).values(
                "organization"
            ),
            kind=Organization.Kind.SCHOOL,
        )
    ).filter(scope.organizations())
    for tid, n in (
        curators.values(territory=F(key)).annotate(n=Count("pk")).values_list("territory", "n")
    ):
        counts[tid]["curators"] = n
    pairs = (
        covered.visible(CuratorPair.objects.filter(program=program, supported_school__in=schools))
        .annotate(is_signed=CuratorPair.objects.signed_condition())
        .values(territory=F(f"supported_school__{key}"))
        .annotate(n=Count("pk"), signed=Count("pk", filter=Q(is_signed=True)))
        .order_by()
    )
    for row in pairs:
        counts[row["territory"]]["pairs"] = row["n"]
        counts[row["territory"]]["signed"] = row["signed"]
    items = (
        covered.visible(RoadmapItem.objects.filter(roadmap__program=program))
        .in_scope(scope)
        .by_school_territory(key)
        .annotate(**completion_annotations(programs=[program]))
        .order_by()
    )
    for row in items:
        for name in ("total", "done", "late"):
            counts[row["territory"]][name] = row[name]
    return counts


def territories_section(program, covered, shown):
    """The participants and pairs counted by region or municipality, with the execution of the
    territory's school and pair roadmaps, each row linked to the passport of that territory,
    which lists its participants and pairs one by one. Organizations that are not schools
    (authorities, centres, partners) are few and listed as they are."""
    counts = territory_counts(program, covered, shown)
    names = dict(shown.territories)
    own_only = None in counts and not any(
        counts[None][n] for n in ("supported", "curators", "pairs")
    )
    if None in counts:
        # Items under None are those of the program's own roadmaps, counted once rather than in
        # each territory they reach; schools there lie outside every municipality of a region.
        names[None] = (
            "Дорожные карты программы"
            if own_only
            else "без муниципалитета; дорожные карты программы"
        )
    rows, totals = [], dict.fromkeys(TERRITORY_COUNTS, 0)
    for tid, name in names.items():
        figures = counts[tid]
        link = shown.link(KIND, program, tid) if tid is not None else None
        cells = [figures[n] for n in TERRITORY_COUNTS]
        if tid is None and own_only:
            # Only items: the program's own roadmaps have no schools or pairs of their own.
            cells[:4] = [None] * 4
        rows.append(Row([name, *cells, link]))
        for n in TERRITORY_COUNTS:
            totals[n] += figures[n]
    rows.append(Row(["Всего", *(totals[n] for n in TERRITORY_COUNTS), None]))
    table = Table(
        f"Участники и пары по территориям ({shown.column_title.lower()})",
        [
            Column(shown.column_title, width="22%"),
            Column("Школ адресной поддержки", "number", width="10%"),
            Column("Школ-кураторов", "number", width="9%"),
            Column("Пар", "number", width="8%"),
            Column("Соглашение подписано", "number", width="10%"),
            Column("Пунктов дорожных карт", "number", width="10%"),
            Column("Выполнено", "number", width="9%"),
            Column("Просрочено", "number", width="10%"),
            Column("Подробно", width="12%"),
        ],
        rows,
        note="Пункты — дорожных карт школ и пар территории (отменённые не входят); пункты "
        "дорожных карт самой программы — отдельной строкой. «По школам» — паспорт по одной "
        "территории со списком участников и пар.",
    )
    others = participants_section(program, shown.scope, schools=False)
    return Section("Участники и пары").add(table, *others.blocks)


def indicators_section(program, covered):
    indicators = list(covered.visible(Indicator.objects.filter(program=program)))
    points = list(covered.visible(MonitoringPoint.objects.filter(program=program)))
    planned = {}
    comparisons = {}
    for indicator_id, point_id, value, comparison in Target.objects.filter(
        indicator__program=program, organization__isnull=True, point__isnull=False
    ).values_list("indicator_id", "point_id", "value", "comparison"):
        planned[indicator_id, point_id] = value
        comparisons.setdefault(indicator_id, comparison)
    baseline = {
        (indicator_id, point_id): value
        for indicator_id, point_id, value in covered.visible(Measurement.objects.counted())
        .filter(
            point__program=program,
            point__kind=MonitoringPoint.Kind.BASELINE,
            organization__isnull=True,
        )
        .values_list("indicator_id", "point_id", "value")
    }
    base_points = [p for p in points if any(k[1] == p.pk for k in baseline)]
    plan_points = [p for p in points if any(k[1] == p.pk for k in planned)]
    comparison_label = dict(Target.Comparison.choices)
    columns = [
        Column("№", width="5%"),
        Column("Показатель"),
        Column("Ед.", width="6%"),
        Column("Источник", width="12%"),
        Column("Цель", width="8%"),
    ]
    columns += [Column(p.title, "number", width="8%") for p in base_points + plan_points]
    groups = [("", 5)]
    if base_points:
        groups.append(("Базовое значение", len(base_points)))
    if plan_points:
        groups.append(("Плановые значения", len(plan_points)))
    rows, group = [], None
    for indicator in indicators:
        if indicator.group and indicator.group != group:
            group = indicator.group
            rows.append(GroupRow(group))
        comparison = comparisons.get(indicator.pk)
        rows.append(
            Row(
                [
                    indicator.code,
                    indicator.title,
                    unit_label(indicator),
                    indicator.source,
                    comparison_label[comparison]
                    if comparison
                    else indicator.get_direction_display(),
                    *(baseline.get((indicator.pk, p.pk)) for p in base_points),
                    *(planned.get((indicator.pk, p.pk)) for p in plan_points),
                ]
            )
        )
    table = Table(
        "Показатели",
        columns,
        rows,
        column_groups=groups if len(groups) > 1 else None,
        empty_text="Показатели не определены.",
    )
    return Section("Показатели и плановые значения").add(table)


KIND = ReportKind(
    slug="passport",
    title=TITLE,
    subject_label="программа",
    subject_model=Program,
    queryset=program_subjects,
    build=build,
    takes_territory=True,
)
