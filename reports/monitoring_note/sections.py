"""The note's sections, each built from its figures."""

from core.text import shorten
from dashboards.charts import dynamics_chart
from monitoring.models import Indicator, Measurement

from ..common import (
    APPROVED_NOTE,
    PROGRAM_ROW,
    target_text,
    unit_label,
)
from ..document import (
    Cell,
    Chart,
    Charts,
    Column,
    Facts,
    Paragraph,
    Row,
    Section,
    Table,
)
from ..formatting import display
from ..svg import printable
from .data import TerritoryFigures

# Indicators side by side in one table of values by school (two columns each).
INDICATORS_PER_TABLE = 6


def indicator_label(indicator):
    unit = unit_label(indicator)
    return f"{indicator.code}. {indicator.title}" + (f", {unit}" if unit else "")


def met_cell(target, value):
    met = target.is_met_by(value) if target is not None else None
    if met is None:
        return None
    return Cell("да" if met else "нет", "good" if met else "bad")


def fact_cell(data, indicator, point, value):
    target = data.target(indicator, point)
    met = target.is_met_by(value) if target is not None else None
    return Cell(value, None if met is None else ("good" if met else "bad"))


def summary_section(data):
    point = data.point
    expected = data.values_expected
    facts = [
        ("Точка мониторинга", f"{point.title}, {point.date:%d.%m.%Y} ({point.get_kind_display()})"),
        ("Базовая точка", f"{data.baseline.title}, {data.baseline.date:%d.%m.%Y}"),
        ("Показателей", len(data.indicators)),
        ("Школ", data.school_count),
    ]
    if expected:
        facts.append(("Значений школ внесено", f"{data.values_entered} из {expected}"))
        facts.append(("Из них утверждено", data.values_approved))
    return Section("Общие сведения").add(Facts(facts), Paragraph(APPROVED_NOTE))


def plan_fact_section(data):
    """One row per indicator: the fact at each point up to the note's, the plan at every point."""
    shown = []
    for p in data.points:
        has_fact = p in data.upto
        has_plan = any((i.pk, p.pk, None) in data.targets for i in data.indicators)
        if has_fact or has_plan:
            shown.append((p, has_fact, has_plan))
    columns = [Column("№", width="5%"), Column("Показатель"), Column("Ед.", width="6%")]
    groups = [("", 3)]
    for p, has_fact, has_plan in shown:
        if has_fact:
            columns.append(Column("факт", "number", width="7%"))
        if has_plan:
            columns.append(Column("план", "number", width="7%"))
        groups.append((p.title, has_fact + has_plan))
    rows = []
    for indicator in data.indicators:
        cells = [indicator.code, indicator.title, unit_label(indicator)]
        for p, has_fact, has_plan in shown:
            if has_fact:
                cells.append(fact_cell(data, indicator, p, data.overall(indicator, p)))
            if has_plan:
                target = data.target(indicator, p)
                cells.append(target.value if target else None)
        rows.append(Row(cells))
    table = Table(
        "Плановые и фактические значения",
        columns,
        rows,
        column_groups=groups,
        empty_text="Показатели не определены.",
        note="Факт — значение по программе, а где его нет — среднее утверждённых значений школ. "
        "Зелёным отмечены значения, достигшие плана, красным — не достигшие.",
    )
    return Section("Плановые и фактические значения").add(table)


def charts_section(data):
    labels = [p.title for p in data.points]
    upto = {p.pk for p in data.upto}
    charts = []
    for indicator in data.indicators:
        series = {}
        if data.has_program_row(indicator):
            series[PROGRAM_ROW] = [
                data.value(indicator, p, None) if p.pk in upto else None for p in data.points
            ]
        series.update(data.school_series(indicator))
        plan = [t.value if (t := data.target(indicator, p)) else None for p in data.points]
        has_values = any(v is not None for values in series.values() for v in values)
        if not has_values and all(v is None for v in plan):
            continue
        title = f"{indicator.code}. {indicator.title}"
        svg = dynamics_chart(
            "",
            labels,
            series,
            target=plan,
            unit="%" if indicator.unit == Indicator.Unit.PERCENT else "",
            width=560,
            height=300,
        )
        charts.append(Chart(title, printable(svg)))
    if not charts:
        return None
    return Section("Динамика показателей").add(Charts(charts))


def _short(text, limit=70):
    return shorten(text, limit)


def _chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def values_section(data):
    """Schools down, indicators across: for each indicator the baseline and the value at the
    point, the value green where it meets the target and red where it does not. Indicators go
    in tables of `INDICATORS_PER_TABLE`, so that the columns stay readable on a landscape page."""
    point, baseline = data.point, data.baseline
    section = Section(f"Значения по школам на {point.date:%d.%m.%Y}")
    shown = [i for i in data.indicators if data.subjects(i)]
    if not shown:
        return section.add(Paragraph("Значений нет."))
    section.add(
        Paragraph(
            f"База — утверждённое значение на базовой точке «{baseline.title}», факт — на точке "
            f"«{point.title}». Зелёным отмечены значения, достигшие цели (своей цели школы, "
            "а где её нет — цели программы), красным — не достигшие; «—» — значение не внесено "
            "или не утверждено."
        )
    )
    # Program-wide indicators get tables of their own, so that their single row «по программе»
    # does not stretch a table of schools with empty cells.
    by_school = [i for i in shown if any(org_id for org_id, _ in data.subjects(i))]
    program_only = [i for i in shown if i not in by_school]
    chunks = _chunks(by_school, INDICATORS_PER_TABLE) + _chunks(program_only, INDICATORS_PER_TABLE)
    for number, chunk in enumerate(chunks, 1):
        subjects = {org_id: label for i in chunk for org_id, label in data.subjects(i)}
        order = ([None] if None in subjects else []) + [o for o in data.schools if o in subjects]
        per_indicator = {i.pk: {org_id for org_id, _ in data.subjects(i)} for i in chunk}
        width = f"{78 / (2 * len(chunk)):.2f}%"
        columns = [Column("Организация", width="22%")]
        groups = [("", 1)]
        for indicator in chunk:
            columns += [
                Column("база", "number", width=width),
                Column("факт", "number", width=width),
            ]
            heading = _short(f"{indicator.code}. {indicator.title}", 60)
            target = data.target(indicator, point)
            if target is not None:
                heading += f" (цель: {target_text(target, indicator.unit)})"
            groups.append((heading, 2))
        rows = []
        for org_id in order:
            cells = [subjects[org_id]]
            for indicator in chunk:
                if org_id not in per_indicator[indicator.pk]:
                    cells += [None, None]
                    continue
                value = data.value(indicator, point, org_id)
                met = met_cell(data.target(indicator, point, org_id), value)
                cells += [
                    data.value(indicator, baseline, org_id),
                    Cell(value, met.tone if met else None),
                ]
            rows.append(Row(cells))
        title = f"Значения на точке «{point.title}»"
        if len(chunks) > 1:
            title += f", часть {number}"
        section.add(Table(title, columns, rows, column_groups=groups, empty_text="Значений нет."))
    return section


def backwards_section(data):
    """For each indicator, the schools whose value at the point is worse than their previous
    approved one, as the indicator's direction defines «worse»."""
    rows = []
    for indicator in data.indicators:
        fallen = []
        for org_id, label in data.subjects(indicator):
            value = data.value(indicator, data.point, org_id)
            earlier, before = data.previous(indicator, org_id)
            if indicator.movement(before, value) == Indicator.WORSE:
                fallen.append(f"{label} (было {display(before)}, стало {display(value)})")
        if fallen:
            rows.append(
                Row([f"{indicator.code}. {indicator.title}", len(fallen), "; ".join(fallen)])
            )
    section = Section("Отрицательная динамика")
    if not rows:
        return section.add(
            Paragraph("Ни у одной школы значения не ухудшились по сравнению с предыдущей точкой.")
        )
    return section.add(
        Paragraph(
            "Школы, у которых значение на этой точке хуже предыдущего утверждённого: ниже — для "
            "показателей «чем больше, тем лучше», выше — для «чем меньше, тем лучше»."
        ),
        Table(
            "Отрицательная динамика",
            [
                Column("Показатель", width="30%"),
                Column("Школ", "number", width="7%"),
                Column("Школы и их значения", width="63%"),
            ],
            rows,
        ),
    )


def completeness_section(data):
    """Who has not sent all the values of their sheet at the point: the schools whose sheet is
    not complete (`MonitoringPoint.complete_schools`), with what they have entered."""
    expected = len(data.sheet)
    if not expected or not data.schools:
        return None
    rows, all_approved = [], 0
    for org_id, name in data.schools.items():
        statuses = [s for i, s in data.statuses.get(org_id, {}).items() if i in data.sheet]
        approved = statuses.count(Measurement.Status.APPROVED)
        all_approved += approved == expected
        if org_id in data.complete:
            continue
        submitted = statuses.count(Measurement.Status.SUBMITTED)
        missing = expected - len(statuses)
        rows.append(
            Row(
                [name, approved, submitted, len(statuses) - approved - submitted, missing],
                tone="bad" if missing else None,
            )
        )
    rows.sort(key=lambda row: -row.cells[-1])
    complete = len(data.schools) - len(rows)
    section = Section("Полнота данных").add(
        Paragraph(
            f"Показателей, которые вносят школы: {expected}. Все значения представили "
            f"{complete} из {len(data.schools)} школ, все утверждены — у {all_approved}."
        )
    )
    if rows:
        section.add(
            Table(
                "Не представили все значения",
                [
                    Column("Организация", width="44%"),
                    Column("Утверждено", "number", width="14%"),
                    Column("На проверке", "number", width="14%"),
                    Column("Черновик или возвращено", "number", width="14%"),
                    Column("Не внесено", "number", width="14%"),
                ],
                rows,
            )
        )
    return section


def territories_section(data):
    """The summary's rows, one per region or municipality: its schools, how many of their values
    are entered and approved, how many schools sent all of them, and the link to the note about
    that territory alone; then, indicator by indicator, each territory's mean of the approved
    values (green where it meets the program's target at the point, red where it does not) and
    how many of its schools met the target that applies to each."""
    shown = data.breakdown
    label = shown.column_title
    section = Section(f"Школы по территориям на {data.point.date:%d.%m.%Y}")
    per_school = len(data.school_indicators)
    # The rows link to this very report narrowed to a territory; the kind is defined with `build`.
    from . import KIND

    rows, totals = [], TerritoryFigures()
    for territory_id, name, figures in data.ordered():
        link = shown.link(KIND, data.point, territory_id) if territory_id is not None else None
        rows.append(
            Row(
                [
                    name,
                    figures.schools,
                    figures.entered,
                    figures.approved,
                    figures.submitted,
                    figures.complete,
                    link,
                ],
                tone="bad" if figures.entered < figures.schools * per_school else None,
            )
        )
        for attr in ("schools", "entered", "approved", "submitted", "complete"):
            setattr(totals, attr, getattr(totals, attr) + getattr(figures, attr))
    rows.append(
        Row(
            [
                "Всего",
                totals.schools,
                totals.entered,
                totals.approved,
                totals.submitted,
                totals.complete,
                None,
            ]
        )
    )
    section.add(
        Table(
            f"Полнота данных по территориям ({shown.column_title.lower()})",
            [
                Column(label, width="28%"),
                Column("Школ", "number", width="9%"),
                Column(f"Значений внесено (из {per_school} на школу)", "number", width="14%"),
                Column("Утверждено", "number", width="11%"),
                Column("На проверке", "number", width="11%"),
                Column("Школ, представивших все значения", "number", width="15%"),
                Column("Подробно", width="12%"),
            ],
            rows,
            note="Красным отмечены территории, где внесены не все значения школ. «По школам» — "
            "аналитическая справка по одной территории со значениями каждой школы.",
        )
    )
    for number, chunk in enumerate(_chunks(data.school_indicators, INDICATORS_PER_TABLE), 1):
        width = f"{75 / (2 * len(chunk)):.2f}%"
        columns = [Column(label, width="25%")]
        groups = [("", 1)]
        for indicator in chunk:
            columns += [
                Column("среднее", "number", width=width),
                Column("достигли цели, школ", "number", width=width),
            ]
            heading = _short(f"{indicator.code}. {indicator.title}", 60)
            target = data.target(indicator, data.point)
            if target is not None:
                heading += f" (цель: {target_text(target, indicator.unit)})"
            groups.append((heading, 2))
        table_rows = []
        for _territory_id, name, figures in data.ordered():
            cells = [name]
            for indicator in chunk:
                found = figures.indicators.get(indicator.pk, {})
                value = found.get("mean")
                met = met_cell(data.target(indicator, data.point), value)
                cells += [
                    Cell(value, met.tone if met else None),
                    found["met"] if found.get("judged") else None,
                ]
            table_rows.append(Row(cells))
        title = f"Средние значения на точке «{data.point.title}»"
        if len(data.school_indicators) > INDICATORS_PER_TABLE:
            title += f", часть {number}"
        section.add(Table(title, columns, table_rows, column_groups=groups))
    section.add(
        Paragraph(
            "Среднее — среднее утверждённых значений школ территории; зелёным отмечено среднее, "
            "достигшее цели программы на точке, красным — не достигшее. «Достигли цели» — "
            "сколько школ из тех, чьи значения утверждены, достигли цели, которая относится к "
            "каждой из них (своей цели школы, а где её нет — цели программы)."
        )
    )
    return section


def backwards_summary_section(data):
    """For each indicator, how many schools went backwards since their previous approved value
    (`Indicator.movement`), and the territories where most did."""
    rows = []
    for indicator in data.school_indicators:
        by_territory = [
            (name, figures.indicators.get(indicator.pk, {}).get("worse", 0))
            for _tid, name, figures in data.ordered()
        ]
        fallen = sum(n for _name, n in by_territory)
        if not fallen:
            continue
        most = sorted((item for item in by_territory if item[1]), key=lambda item: -item[1])
        named = "; ".join(f"{name} — {n}" for name, n in most[:5])
        if len(most) > 5:
            named += f"; ещё территорий: {len(most) - 5}"
        rows.append(Row([f"{indicator.code}. {indicator.title}", fallen, named]))
    section = Section("Отрицательная динамика")
    if not rows:
        return section.add(
            Paragraph("Ни у одной школы значения не ухудшились по сравнению с предыдущей точкой.")
        )
    return section.add(
        Paragraph(
            "Сколько школ получили на этой точке значение хуже своего предыдущего утверждённого "
            "(ниже — для показателей «чем больше, тем лучше», выше — для «чем меньше, тем "
            "лучше»), и где таких школ больше всего. Сами школы названы в справке по территории."
        ),
        Table(
            "Отрицательная динамика по территориям",
            [
                Column("Показатель", width="35%"),
                Column("Школ", "number", width="8%"),
                Column(f"Больше всего — {data.breakdown.column_title.lower()}", width="57%"),
            ],
            rows,
        ),
    )
