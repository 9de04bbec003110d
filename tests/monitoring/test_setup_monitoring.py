"""Monitoring set-up: points, indicators, targets and thresholds."""

import datetime

import pytest
from django.urls import reverse

from monitoring.models import Indicator, MonitoringPoint, Target
from tests import factories as f

pytestmark = pytest.mark.django_db


def point_data(**changes):
    data = {
        "title": "Промежуточный мониторинг",
        "date": "2023-05-31",
        "kind": MonitoringPoint.Kind.INTERMEDIATE,
        "entry_deadline": "2023-06-10",
    }
    data.update(changes)
    return data


def test_a_point_is_added(world, as_user):
    url = reverse("monitoring:setup_points", args=[world.program.pk])
    assert as_user(world.coordinator).post(url, point_data()).status_code == 302
    point = MonitoringPoint.objects.get()
    assert (point.date, point.entry_deadline) == (
        datetime.date(2023, 5, 31),
        datetime.date(2023, 6, 10),
    )


def test_a_point_whose_entry_closes_before_its_date_is_refused(world, as_user):
    url = reverse("monitoring:setup_points", args=[world.program.pk])
    response = as_user(world.coordinator).post(url, point_data(entry_deadline="2023-05-01"))
    assert response.context["form"].errors["entry_deadline"] == [
        "Приём значений не может закончиться раньше даты точки."
    ]
    assert not MonitoringPoint.objects.exists()


def test_a_second_point_of_the_same_kind_on_the_same_date_is_refused_beside_the_date(
    world, as_user
):
    f.MonitoringPointFactory(
        program=world.program,
        date=datetime.date(2023, 5, 31),
        kind=MonitoringPoint.Kind.INTERMEDIATE,
    )
    url = reverse("monitoring:setup_points", args=[world.program.pk])
    response = as_user(world.coordinator).post(url, point_data())
    assert response.context["form"].errors["date"] == [
        "В программе уже есть точка мониторинга этого вида на эту дату."
    ]
    assert MonitoringPoint.objects.count() == 1


def test_a_point_with_values_is_not_deleted(world, as_user):
    value = f.MeasurementFactory(indicator=f.IndicatorFactory(program=world.program))
    as_user(world.coordinator).post(reverse("monitoring:point_delete", args=[value.point.pk]))
    assert MonitoringPoint.objects.filter(pk=value.point.pk).exists()


def indicator_data(**changes):
    data = {
        "code": "1",
        "title": "Доля обучающихся, получивших «2» на ОГЭ по математике",
        "unit": Indicator.Unit.PERCENT,
        "direction": Indicator.Direction.DOWN,
        "method": Indicator.Method.ENTERED,
        "level": Indicator.Level.SCHOOL,
        "order": "1",
    }
    data.update(changes)
    return data


def test_an_indicator_is_added_and_its_targets_set_next(world, as_user):
    url = reverse("monitoring:setup_indicators", args=[world.program.pk])
    response = as_user(world.coordinator).post(url, indicator_data())
    indicator = Indicator.objects.get()
    assert response.url == reverse("monitoring:indicator_edit", args=[indicator.pk])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "7"}, "code", "В программе уже есть показатель с таким номером."),
        (
            {"method": Indicator.Method.ATTENDANCE_SHARE, "unit": Indicator.Unit.COUNT},
            "unit",
            "Этот показатель вычисляется в процентах: выберите «%».",
        ),
        (
            {"method": Indicator.Method.EXCHANGE_EVENTS_REGIONAL},
            "unit",
            "Этот показатель — число мероприятий: выберите «количество».",
        ),
    ],
)
def test_a_wrong_indicator_is_refused_beside_the_field(world, as_user, changes, field, message):
    f.IndicatorFactory(program=world.program, code="7")
    url = reverse("monitoring:setup_indicators", args=[world.program.pk])
    response = as_user(world.coordinator).post(url, indicator_data(**changes))
    assert response.context["form"].errors[field] == [message]
    assert Indicator.objects.count() == 1


def targets_data(indicator, rows, initial=0):
    data = {
        **indicator_data(code=indicator.code),
        "targets-TOTAL_FORMS": str(len(rows)),
        "targets-INITIAL_FORMS": str(initial),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"targets-{index}-{key}"] = value
    return data


def test_targets_and_a_threshold_are_set(world, as_user):
    indicator = f.IndicatorFactory(program=world.program, code="1")
    point = f.MonitoringPointFactory(program=world.program)
    response = as_user(world.coordinator).post(
        reverse("monitoring:indicator_edit", args=[indicator.pk]),
        targets_data(
            indicator,
            [
                {"point": str(point.pk), "comparison": "le", "value": "12,5"},
                {"comparison": "le", "value": "10", "text": "не более 10 %"},
            ],
        ),
    )
    assert response.status_code == 302
    saved = set(indicator.targets.values_list("point", "comparison", "value"))
    assert saved == {(point.pk, "le", 12.5), (None, "le", 10)}


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([{"comparison": "ge", "value": "120"}], "value", "Процент должен быть от 0 до 100."),
        (
            [{"comparison": "ge", "value": "80"}, {"comparison": "ge", "value": "90"}],
            "point",
            "Целевое значение для этой точки и организации уже есть в списке.",
        ),
        ([{"comparison": "ge", "value": "много"}], "value", "Введите число."),
    ],
)
def test_wrong_targets_are_refused_beside_the_field(world, as_user, rows, field, message):
    indicator = f.IndicatorFactory(program=world.program, code="1")
    response = as_user(world.coordinator).post(
        reverse("monitoring:indicator_edit", args=[indicator.pk]), targets_data(indicator, rows)
    )
    errors = [form.errors.get(field, []) for form in response.context["targets"].forms]
    assert [message] in errors
    assert not Target.objects.exists()


def test_a_threshold_already_saved_is_refused_not_a_500(world, as_user):
    indicator = f.IndicatorFactory(program=world.program, code="1")
    Target.objects.create(indicator=indicator, value=80)
    response = as_user(world.coordinator).post(
        reverse("monitoring:indicator_edit", args=[indicator.pk]),
        targets_data(indicator, [{"comparison": "ge", "value": "90"}]),
    )
    assert response.context["targets"].forms[0].errors["point"] == [
        "Порог программы для этого показателя уже есть."
    ]
    assert Target.objects.get().value == 80


def test_standard_effectiveness_indicators_are_added_from_the_page(world, as_user):
    as_user(world.coordinator).post(
        reverse("monitoring:standard_indicators", args=[world.program.pk])
    )
    assert world.program.indicators.exclude(method=Indicator.Method.ENTERED).count() == 6
