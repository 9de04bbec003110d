"""The note's section «Риск недостижения целей»: the schools of the report at risk of missing a
target, with the forecast, its range, the chance of missing and the reasons, read from the
stored forecasts (`forecasts.sections.note_rows`)."""

from forecasts.models import Forecast
from forecasts.sections import note_rows

from ..document import Column, Paragraph, Row, Section, Table

# Past this many rows a summarised note lists the riskiest and counts the rest.
SUMMARY_ROWS = 50


def risk_section(covered, limit=None):
    rows = note_rows(
        covered.of_schools(Forecast.objects.filter(program=covered.program), path="school")
    )
    section = Section("Риск недостижения целей")
    if not rows:
        return section.add(
            Paragraph(
                "Ни одна школа не в зоне риска недостижения целевых значений (или прогнозов "
                "ещё нет: нужны утверждённые значения хотя бы в двух точках)."
            )
        )
    shown = rows[:limit] if limit else rows
    section.add(
        Paragraph(
            "Прогноз на дату формирования справки по утверждённым значениям: линия по "
            "значениям школы, приближенная к среднему изменению программы, с диапазоном 80 %. "
            "В зоне риска — школы, у которых вероятность не достичь цели в следующей или "
            "итоговой точке 50 % и больше."
        ),
        Table(
            "Риск недостижения целей",
            [
                Column("Школа", width="16%"),
                Column("Показатель", width="20%"),
                Column("Последнее значение", width="9%"),
                Column("Прогноз", width="17%"),
                Column("Цель", width="9%"),
                Column("Вероятность не достичь, %", "number", width="8%"),
                Column("Надёжность", width="7%"),
                Column("Причины", width="14%"),
            ],
            [
                Row(
                    [
                        r.school,
                        r.indicator,
                        r.last,
                        r.forecast,
                        r.target,
                        r.chance,
                        r.reliability,
                        r.reasons,
                    ]
                )
                for r in shown
            ],
        ),
    )
    if len(rows) > len(shown):
        section.add(Paragraph(f"И ещё прогнозов в зоне риска: {len(rows) - len(shown)}."))
    return section
