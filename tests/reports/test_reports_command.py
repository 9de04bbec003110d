"""`manage.py render_report KIND ID -o FILE`, for scheduled mailing."""

import pytest
from django.core.management import CommandError, call_command

from .reporting import pdf_text, workbook

pytestmark = pytest.mark.django_db


def test_it_writes_the_pdf_of_a_report(world, filled, tmp_path):
    target = tmp_path / "дорожная-карта.pdf"
    call_command("render_report", "roadmap", str(filled.roadmap.pk), "-o", str(target))
    text = pdf_text(target.read_bytes())
    assert "Исполнение дорожной карты" in text
    assert "Верификация факторов риска" in text


def test_it_writes_the_workbook_by_the_extension(world, filled, tmp_path):
    target = tmp_path / "passport.XLSX"
    call_command("render_report", "passport", str(world.program.pk), "-o", str(target))
    assert workbook(target.read_bytes())["Сводка"]["A1"].value == "Паспорт программы"


def test_the_half_year_report_takes_its_period(world, filled, tmp_path):
    target = tmp_path / "half.xlsx"
    call_command(
        "render_report",
        "half-year",
        str(world.program.pk),
        "-o",
        str(target),
        "--from",
        "01.01.2023",
        "--to",
        "2023-06-30",
    )
    summary = workbook(target.read_bytes())["Сводка"]
    assert summary["A2"].value.endswith("01.01.2023 — 30.06.2023")


def test_it_renders_as_a_person_would_see_it(world, filled, tmp_path):
    with pytest.raises(CommandError, match=r"Не найдена программа с id \d+ среди доступных"):
        call_command(
            "render_report",
            "passport",
            str(world.program.pk),
            "-o",
            str(tmp_path / "p.pdf"),
            "--user",
            "outsider",
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["budget", "1", "-o", "x.pdf"], "Неизвестный вид отчёта «budget». Доступны: passport"),
        (["passport", "999999", "-o", "x.pdf"], "Не найдена программа с id 999999."),
        (["note", "999999", "-o", "x.pdf"], "Не найдена точка мониторинга с id 999999."),
        (["passport", "{program}", "-o", "x.docx"], "Неподдерживаемое расширение файла «.docx»"),
        (["passport", "{program}", "-o", "report"], "Неподдерживаемое расширение файла «report»"),
        (
            ["passport", "{program}", "-o", "x.pdf", "--from", "2023-01-01", "--to", "2023-06-30"],
            "Период (--from, --to) задаётся только для сводного отчёта.",
        ),
        (
            ["half-year", "{program}", "-o", "x.pdf", "--from", "2023-01-01"],
            "Укажите обе даты периода: --from и --to.",
        ),
        (
            ["half-year", "{program}", "-o", "x.pdf", "--from", "31.02.2023", "--to", "2023-06-30"],
            "Неверная дата в --from: «31.02.2023».",
        ),
        (
            ["half-year", "{program}", "-o", "x.pdf", "--from", "2023-07-01", "--to", "2023-06-30"],
            "Конец периода (--to) раньше его начала (--from).",
        ),
        (
            ["passport", "{program}", "-o", "x.pdf", "--user", "nobody"],
            "Нет активного пользователя",
        ),
    ],
)
def test_wrong_arguments_are_explained_in_russian(world, tmp_path, arguments, message):
    arguments = [a.format(program=world.program.pk) for a in arguments]
    arguments[arguments.index("-o") + 1] = str(tmp_path / arguments[arguments.index("-o") + 1])
    with pytest.raises(CommandError) as error:
        call_command("render_report", *arguments)
    assert message in str(error.value)
    assert not any(tmp_path.iterdir())


def test_a_missing_folder_is_reported_before_anything_is_written(world, tmp_path):
    with pytest.raises(CommandError, match="Нет папки"):
        call_command(
            "render_report", "passport", str(world.program.pk), "-o", str(tmp_path / "no" / "x.pdf")
        )
