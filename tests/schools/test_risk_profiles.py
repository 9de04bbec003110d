"""A school's risk profile: a level for each factor of the catalogue, and two profiles side by
side showing which factors went up and which went down."""

import datetime

import pytest
from django.urls import reverse

from schools.models import RiskLevel, RiskProfile

pytestmark = pytest.mark.django_db


def profile_data(scene, levels=None, **fields):
    levels = levels or ["high", "medium", "none"]
    data = {
        "assessed_on": scene.today.isoformat(),
        "source": "анкетирование ФИС ОКО",
        "revision": 0,
    }
    data.update({f"level_{f.pk}": lv for f, lv in zip(scene.factors, levels, strict=True)})
    data.update(fields)
    return data


def new_url(world):
    return reverse("schools:risk_profile_new", args=[world.supported_school.pk])


def test_the_school_marks_a_level_for_every_factor(scene, world, as_user):
    response = as_user(world.school).post(new_url(world), profile_data(scene))
    profile = RiskProfile.objects.get(school=world.supported_school, assessed_on=scene.today)
    assert response.status_code == 302 and response.url == profile.get_absolute_url()
    assert [lv.level for lv in profile.levels.order_by("factor__order")] == [
        "high",
        "medium",
        "none",
    ]
    assert profile.created_by == world.school


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"level_missing": True}, "level", "Укажите уровень риска."),
        ({"level_bad": "catastrophic"}, "level", "Выберите корректный вариант."),
        ({"assessed_on": ""}, "assessed_on", "Обязательное поле."),
        ({"assessed_on": "32.13.2024"}, "assessed_on", "Введите правильную дату."),
        ({"assessed_on": "2999-01-01"}, "assessed_on", "Дата оценки не может быть в будущем."),
        ({"assessed_on": "existing"}, "assessed_on", "У школы уже есть профиль на эту дату."),
    ],
    ids=["no level", "bad level", "no date", "bad date", "future", "same date"],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    scene, world, as_user, fields, field, message
):
    data = profile_data(scene)
    first = f"level_{scene.factors[0].pk}"
    if "level_missing" in fields:
        del data[first]
    elif "level_bad" in fields:
        data[first] = fields["level_bad"]
    elif fields["assessed_on"] == "existing":
        data["assessed_on"] = scene.inside.profile.assessed_on.isoformat()
    else:
        data["assessed_on"] = fields["assessed_on"]
    profiles, levels = RiskProfile.objects.count(), RiskLevel.objects.count()
    response = as_user(world.school).post(new_url(world), data)
    assert response.status_code == 200
    name = first if field == "level" else field
    assert any(message in e for e in response.context["form"].errors[name])
    assert message in response.content.decode()
    assert (RiskProfile.objects.count(), RiskLevel.objects.count()) == (profiles, levels)


def test_an_edit_over_a_newer_one_is_refused_keeping_what_was_typed(scene, world, as_user):
    profile = scene.inside.profile
    url = reverse("schools:risk_profile_edit", args=[profile.pk])
    seen = profile.revision
    date = profile.assessed_on.isoformat()
    as_user(world.coordinator).post(
        url, profile_data(scene, ["low", "low", "low"], assessed_on=date, revision=seen)
    )
    response = as_user(world.school).post(
        url,
        profile_data(
            scene, ["high", "high", "high"], assessed_on=date, revision=seen, source="пересмотрено"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "эти данные изменил другой пользователь" in page
    assert 'value="пересмотрено"' in page
    assert set(profile.levels.values_list("level", flat=True)) == {"low"}


def test_two_profiles_side_by_side_show_what_went_up_and_down(scene, world, as_user):
    url = reverse("schools:risk_profile_compare", args=[world.supported_school.pk])
    response = as_user(world.curator).get(url)
    changes = [row["change"] for row in response.context["rows"]]
    # Profiles in the scene: high/high/low a year ago, low/high/high a month ago.
    assert changes == ["down", "same", "up"]
    assert (response.context["went_up"], response.context["went_down"]) == (1, 1)
    page = response.content.decode()
    assert "▲ вырос" in page and "▼ снизился" in page


def test_any_two_profiles_may_be_chosen_in_either_order(scene, world, as_user):
    from tests.scene import make_profile

    oldest = make_profile(
        world.supported_school,
        scene.factors,
        ["none", "none", "none"],
        scene.today - datetime.timedelta(days=700),
    )
    url = reverse("schools:risk_profile_compare", args=[world.supported_school.pk])
    response = as_user(world.school).get(
        url, {"older": scene.inside.profile.pk, "newer": oldest.pk}
    )
    assert response.context["older"] == oldest
    assert [r["change"] for r in response.context["rows"]] == ["up", "up", "up"]


def test_another_schools_profile_cannot_be_chosen(scene, world, as_user):
    url = reverse("schools:risk_profile_compare", args=[world.supported_school.pk])
    response = as_user(world.region_coordinator).get(
        url, {"older": scene.outside.profile.pk, "newer": scene.inside.profile.pk}
    )
    assert "Выберите корректный вариант" in response.content.decode()
    assert response.context["rows"] == []


def test_a_profile_page_shows_its_dynamics_against_the_previous_one(scene, world, as_user):
    response = as_user(world.school).get(scene.inside.profile.get_absolute_url())
    assert response.context["older"] == scene.inside.old_profile
    assert [r["change"] for r in response.context["rows"]] == ["down", "same", "up"]
