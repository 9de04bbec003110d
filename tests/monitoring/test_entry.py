"""Data entry at a monitoring point: one sheet for all entered indicators of a school, checked
by unit, saved as a draft or submitted; approved or returned by the curator or a coordinator;
locked once approved; after the deadline changed only by coordinators."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Measurement
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def side(scene):
    return scene.inside


def entry_url(side):
    return reverse("monitoring:entry", args=[side.point.pk, side.school.pk])


def sheet_data(side, action="draft", **values):
    """Form data as the page sends it: every row with its revision; `values` by indicator name
    (percent, count, yes_no)."""
    stored = {
        m.indicator_id: m
        for m in Measurement.objects.filter(point=side.point, organization=side.school)
    }
    data = {"action": action}
    for name in ("percent", "count", "yes_no"):
        indicator = getattr(side, name)
        m = stored.get(indicator.pk)
        data[f"i{indicator.pk}-value"] = values.get(name, "")
        data[f"i{indicator.pk}-comment"] = values.get(f"{name}_comment", "")
        data[f"i{indicator.pk}-revision"] = m.revision if m else 0
    return data


def values(side):
    return {
        m.indicator.code: (m.value, m.status)
        for m in Measurement.objects.filter(point=side.point, organization=side.school)
    }


def test_the_sheet_has_a_row_per_entered_indicator_and_none_for_computed(side, world, as_user):
    response = as_user(world.school).get(entry_url(side))
    rows = response.context["sheet"].rows
    assert [row["indicator"] for row in rows] == [side.percent, side.count, side.yes_no]
    assert all(row["form"] is not None for row in rows)
    page = response.content.decode()
    assert f'name="i{side.computed.pk}-value"' not in page
    assert "Вычисляются автоматически и не вводятся" in page


def test_the_sheet_shows_baseline_and_target_beside_each_value(side, world, as_user):
    rows = as_user(world.school).get(entry_url(side)).context["sheet"].rows
    percent = rows[0]
    assert percent["baseline"] == Decimal("25.00")
    assert str(percent["target"]) == "не более 10 %"


def test_a_draft_keeps_what_is_typed_and_a_comma_is_a_decimal_point(side, world, as_user):
    response = as_user(world.school).post(
        entry_url(side), sheet_data(side, percent="12,5", count="7")
    )
    assert response.status_code == 302
    assert values(side) == {
        "1": (Decimal("12.50"), Measurement.Status.DRAFT),
        "2": (Decimal("7.00"), Measurement.Status.DRAFT),
    }
    assert Measurement.objects.get(indicator=side.count).entered_by == world.school


def test_submitting_sends_every_value_for_approval(side, world, as_user):
    response = as_user(world.school).post(
        entry_url(side), sheet_data(side, "submit", percent="15", count="3", yes_no="1")
    )
    assert response.status_code == 302
    assert values(side) == {
        "1": (Decimal("15.00"), "submitted"),
        "2": (Decimal("3.00"), "submitted"),
        "3": (Decimal("1.00"), "submitted"),
    }
    assert all(m.submitted_at for m in Measurement.objects.filter(point=side.point))


def test_submitting_needs_every_value(side, world, as_user):
    response = as_user(world.school).post(
        entry_url(side), sheet_data(side, "submit", percent="15", count="3")
    )
    assert response.status_code == 200
    form = response.context["sheet"].rows[2]["form"]
    assert form.errors["value"] == ["Заполните значение, чтобы отправить на проверку."]
    assert "Заполните значение, чтобы отправить на проверку." in response.content.decode()
    assert values(side) == {"1": (Decimal("18.00"), "submitted")}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"percent": "101"}, "Процент должен быть от 0 до 100."),
        ({"percent": "-1"}, "Процент должен быть от 0 до 100."),
        ({"percent": "много"}, "Введите число."),
        ({"count": "2,5"}, "Количество должно быть целым числом не меньше 0."),
        ({"count": "-3"}, "Количество должно быть целым числом не меньше 0."),
        ({"yes_no": "2"}, "Выберите корректный вариант. 2 нет среди допустимых значений."),
        ({"percent": "1" * 15}, "Убедитесь, что вы ввели не более 12 цифр."),
    ],
    ids=[
        "percent over",
        "percent negative",
        "text",
        "fraction",
        "negative count",
        "yes/no",
        "long",
    ],
)
def test_a_bad_value_is_refused_beside_its_field_and_no_value_is_saved(
    side, world, as_user, typed, message
):
    # A good value typed in another row is not saved either: the sheet is saved whole.
    data = sheet_data(side, **{"count": "4", "yes_no": "1", **typed})
    response = as_user(world.school).post(entry_url(side), data)
    assert response.status_code == 200
    name = next(iter(typed))
    row = next(r for r in response.context["sheet"].rows if r["indicator"] == getattr(side, name))
    assert message in row["form"].errors["value"][0]
    page = response.content.decode()
    assert message in page and "Значения не сохранены" in page
    assert values(side) == {"1": (Decimal("18.00"), "submitted")}


def review(client, measurement, action, comment=""):
    measurement.refresh_from_db()
    prefix = f"r{measurement.pk}"
    return client.post(
        reverse("monitoring:review", args=[measurement.pk]),
        {
            f"{prefix}-action": action,
            f"{prefix}-comment": comment,
            f"{prefix}-revision": measurement.revision,
        },
    )


def test_the_curator_approves_and_the_value_is_locked(side, world, as_user):
    m = side.measurement
    response = review(as_user(world.curator), m, "approve")
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.approved_by) == ("approved", world.curator)
    sheet = as_user(world.school).get(entry_url(side)).context["sheet"]
    assert sheet.rows[0]["locked"] and sheet.rows[0]["form"] is None
    # A value sent for the locked row anyway is not taken.
    data = sheet_data(side, percent="99", count="1")
    as_user(world.school).post(entry_url(side), data)
    m.refresh_from_db()
    assert m.value == Decimal("18.00") and m.status == "approved"


def test_returning_needs_a_comment_which_the_school_then_sees(side, world, as_user):
    m = side.measurement
    refused = review(as_user(world.curator), m, "return")
    assert refused.status_code == 200
    assert "Укажите, что нужно исправить." in refused.content.decode()
    m.refresh_from_db()
    assert m.status == "submitted"

    review(as_user(world.curator), m, "return", "Проверьте: в отчёте ВПР 16 %")
    m.refresh_from_db()
    assert (m.status, m.review_comment) == ("returned", "Проверьте: в отчёте ВПР 16 %")
    page = as_user(world.school).get(entry_url(side)).content.decode()
    assert "Замечание: Проверьте: в отчёте ВПР 16 %" in page

    fixed = as_user(world.school).post(
        entry_url(side), sheet_data(side, "submit", percent="16", count="2", yes_no="0")
    )
    assert fixed.status_code == 302
    m.refresh_from_db()
    assert (m.value, m.status) == (Decimal("16.00"), "submitted")


def test_only_a_submitted_value_is_approved(side, world, as_user):
    draft = f.MeasurementFactory(
        indicator=side.count, point=side.point, organization=side.school, value=3
    )
    response = review(as_user(world.coordinator), draft, "approve")
    assert response.status_code == 200
    assert "Утвердить можно только отправленное на проверку значение." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize(
    ("status", "approved", "returned"),
    [("draft", False, False), ("submitted", True, True), ("approved", False, True)],
)
def test_what_a_value_awaits_follows_from_its_status(status, approved, returned):
    measurement = Measurement(status=status)
    assert (measurement.can_be_approved, measurement.can_be_returned) == (approved, returned)


def test_an_approved_value_is_offered_for_return_but_not_for_approval(side, world, as_user):
    m = side.measurement
    review(as_user(world.coordinator), m, "approve")
    page = as_user(world.coordinator).get(entry_url(side)).content.decode()
    row = page[page.index(f'form="review-{m.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'value="return"' in row and 'value="approve"' not in row


def test_an_approved_value_may_be_returned_by_an_approver(side, world, as_user):
    m = side.measurement
    review(as_user(world.coordinator), m, "approve")
    review(as_user(world.coordinator), m, "return", "Ошибка в расчёте")
    m.refresh_from_db()
    assert m.status == "returned" and m.approved_by is None


def test_after_the_deadline_only_a_coordinator_changes_values(side, world, as_user):
    point = side.point
    point.entry_deadline = datetime.date.today() - datetime.timedelta(days=1)
    point.save()
    school = as_user(world.school)
    page = school.get(entry_url(side))
    assert page.context["sheet"].editable is False
    assert "изменить их может только координатор" in page.content.decode()
    assert school.post(entry_url(side), sheet_data(side, count="5")).status_code == 403
    assert "2" not in values(side)

    response = as_user(world.coordinator).post(entry_url(side), sheet_data(side, count="5"))
    assert response.status_code == 302
    assert values(side)["2"] == (Decimal("5.00"), "draft")


def test_a_locked_point_takes_no_values_from_the_school(side, world, as_user):
    side.point.locked = True
    side.point.save()
    before = values(side)
    assert (
        as_user(world.school).post(entry_url(side), sheet_data(side, count="5")).status_code == 403
    )
    assert "2" not in values(side) and values(side) == before


def test_a_value_changed_meanwhile_is_not_overwritten(side, world, as_user):
    data = sheet_data(side, percent="30", count="2")
    review(as_user(world.curator), side.measurement, "return", "Неверно")
    response = as_user(world.school).post(entry_url(side), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "эти данные изменил другой пользователь" in page
    # What was typed stays in the form, and nothing of the sheet is saved.
    assert 'value="30"' in page
    assert values(side) == {"1": (Decimal("18.00"), "returned")}


def test_a_value_entered_meanwhile_by_someone_else_is_not_overwritten(side, world, as_user):
    data = sheet_data(side, count="2")
    as_user(world.coordinator).post(entry_url(side), sheet_data(side, count="9"))
    response = as_user(world.school).post(entry_url(side), data)
    assert "эти данные изменил другой пользователь" in response.content.decode()
    assert values(side)["2"] == (Decimal("9.00"), "draft")
    # The refreshed form carries the stored revision: sending it again overwrites on purpose.
    again = {**data}
    count_form = response.context["sheet"].rows[1]["form"]
    again[f"i{side.count.pk}-revision"] = count_form["revision"].value()
    assert as_user(world.school).post(entry_url(side), again).status_code == 302
    assert values(side)["2"] == (Decimal("2.00"), "draft")


def test_the_curator_sees_the_sheet_without_inputs(side, world, as_user):
    response = as_user(world.curator).get(entry_url(side))
    assert response.context["sheet"].editable is False
    assert response.context["reviewing"] is True
    assert f'name="i{side.percent.pk}-value"' not in response.content.decode()


def test_the_history_of_values_names_who_changed_them(side, world, as_user):
    as_user(world.school).post(
        entry_url(side), sheet_data(side, "submit", percent="17", count="2", yes_no="1")
    )
    review(as_user(world.curator), side.measurement, "approve")
    page = as_user(world.coordinator).get(entry_url(side)).content.decode()
    history = page[page.index("История изменений") :]
    assert "18 → <strong>17</strong>" in history
    assert "отправлено → <strong>утверждено</strong>" in history


def test_a_verdict_without_a_decision_is_refused(side, world, as_user):
    m = side.measurement
    response = as_user(world.curator).post(
        reverse("monitoring:review", args=[m.pk]),
        {f"r{m.pk}-action": "", f"r{m.pk}-comment": "", f"r{m.pk}-revision": m.revision},
    )
    assert response.status_code == 200
    assert "Выберите решение." in response.content.decode()
    m.refresh_from_db()
    assert m.status == "submitted"
