from dashboards.charts import bar_chart, dynamics_chart


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


def test_dynamics_chart_without_target_has_no_plan_line():
    svg = dynamics_chart("Показатель", ["1"], {"Школа": [1]})
    assert "План" not in svg


def test_bar_chart_lists_every_label():
    svg = bar_chart("Выполнение по модулям", ["Есть проект", "ПрофСреда"], [50, 0], unit="%")
    assert "Есть проект" in svg and "ПрофСреда" in svg
