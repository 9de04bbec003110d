import re

from dashboards.charts import PLAN_COLOR, Y_STEPS, bar_chart, dynamics_chart


def test_dynamics_chart_is_static_svg_with_cyrillic_labels():
    svg = dynamics_chart(
        "Доля педагогов",
        ["2020", "2021", "2022"],
        {"МАОУ «СОШ №2»": [25, None, 35]},
        target=[None, 30, 35],
        unit="%",
    )
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "Доля педагогов" in svg
    assert "МАОУ «СОШ №2»" in svg
    assert "План" in svg


def test_the_plan_is_a_thick_dashed_line_of_its_own_colour_and_the_y_axis_has_few_steps():
    svg = dynamics_chart(
        "",
        ["2020", "2021", "2022", "2023"],
        {"по программе": [0, 4, 9, 13], "школа": [1, 2, 3, 4]},
        target=[None, 5, 10, 15],
        unit="%",
    )
    assert PLAN_COLOR in svg
    compact = svg.replace(" ", "")
    assert "stroke-dasharray:10,6" in compact and "stroke-width:3" in compact
    labels = re.findall(r">(\d+) %</text>", svg)
    assert 2 <= len(set(labels)) <= Y_STEPS + 1, labels


def test_a_chart_is_drawn_without_a_title_when_the_page_shows_it():
    svg = dynamics_chart("", ["1", "2"], {"Школа": [1, 2]})
    assert 'class="title"' not in svg


def test_dynamics_chart_without_target_has_no_plan_line():
    svg = dynamics_chart("Показатель", ["1"], {"Школа": [1]})
    assert "План" not in svg


def test_bar_chart_lists_every_label():
    svg = bar_chart("Выполнение по модулям", ["Есть проект", "ПрофСреда"], [50, 0], unit="%")
    assert "Есть проект" in svg and "ПрофСреда" in svg


def test_values_and_steps_carry_the_decimal_comma():
    svg = dynamics_chart("", ["2022", "2023"], {"Школа": [78.4, 80.25]}, unit="%")
    assert "78,4 %" in svg and "80,25 %" in svg
    written = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert not [text for text in written if re.search(r"\d\.\d", text)]
    bars = bar_chart("", ["Модуль"], [12.5], unit="%")
    assert "12,5 %" in bars
    assert not [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", bars) if "12.5" in t]


def test_long_point_names_are_wrapped_whole_never_cut_mid_word():
    long_name = "Промежуточный мониторинг качества знаний декабрь 2024"
    svg = dynamics_chart("", ["Входной мониторинг 2023", long_name, "Итог"], {"Школа": [1, 2, 3]})
    shown = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    # Every word of the names is shown on one of the lines, none cut with «…».
    assert {"Входной", "Промежуточный", "декабрь", "Итог"} <= set(" ".join(shown).split())
    assert not any("…" in line for line in shown)
    assert f"<title>{long_name}</title>" in svg
    # The legend moved below the wrapped labels: the picture grew by their extra lines.
    height = int(re.search(r'viewBox="0 0 720 (\d+)"', svg).group(1))
    assert height > 320
