"""A school saves its risk profile as a draft while it is unfinished: what is valid is kept,
what is not is shown beside its field, and the draft counts in no comparison, traceability,
pairing or report until it is submitted whole."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from expertise import pairing
from expertise.traceability import trace
from programs.models import Document
from reports.kinds import KINDS
from roadmaps.models import RoadmapItem
from schools.models import RiskProfile

from .test_risk_profiles import new_url, profile_data

pytestmark = pytest.mark.django_db


def draft_of(world):
    return RiskProfile.objects.drafts().get(school=world.supported_school)


def edit_url(profile):
    return reverse("schools:risk_profile_edit", args=[profile.pk])


def test_an_unfinished_profile_is_kept_as_a_draft_with_its_errors_in_place(scene, world, as_user):
    first, second, third = (f"level_{factor.pk}" for factor in scene.factors)
    data = profile_data(scene, ["high", "medium", "none"], assessed_on="2999-01-01", draft="1")
    del data[second]  # not chosen yet
    data[third] = "catastrophic"  # not a level
    response = as_user(world.school).post(new_url(world), data)

    assert response.status_code == 200
    draft = draft_of(world)
    # Valid fields are kept; the invalid date and level are not stored.
    assert (draft.assessed_on, draft.source) == (None, "анкетирование ФИС ОКО")
    assert {lv.factor_id: lv.level for lv in draft.levels.all()} == {scene.factors[0].pk: "high"}
    assert draft.created_by == world.school
    # Each error stands beside its field, in Russian, and what was typed is still there.
    errors = response.context["form"].errors
    assert errors["assessed_on"] == ["Дата оценки не может быть в будущем."]
    assert errors[second] == ["Укажите уровень риска."]
    assert any("Выберите корректный вариант" in e for e in errors[third])
    assert first not in errors
    page = response.content.decode()
    assert 'value="2999-01-01"' in page
    assert "Черновик сохранён" in page and "черновик, не отправлен" in page
    # The page now continues the draft, with its current revision.
    assert f'action="{edit_url(draft)}"' in page
    assert response.context["form"]["revision"].value() == draft.revision


def test_a_draft_continued_and_then_submitted_whole_counts(scene, world, as_user):
    client = as_user(world.school)
    data = profile_data(scene, draft="1")
    del data[f"level_{scene.factors[2].pk}"]
    client.post(new_url(world), data)
    draft = draft_of(world)

    # A new profile of the school continues the draft rather than starting another.
    response = client.get(new_url(world))
    assert response.status_code == 302 and response.url == edit_url(draft)
    # Reopened, the draft shows at once what is still missing.
    reopened = client.get(edit_url(draft))
    assert reopened.context["form"].errors == {
        f"level_{scene.factors[2].pk}": ["Укажите уровень риска."]
    }

    # Submitting an incomplete draft is refused beside the field; it stays a draft.
    submit = profile_data(scene, revision=draft.revision)
    del submit[f"level_{scene.factors[2].pk}"]
    response = client.post(edit_url(draft), submit)
    assert response.status_code == 200
    assert response.context["form"].errors[f"level_{scene.factors[2].pk}"] == [
        "Укажите уровень риска."
    ]
    draft.refresh_from_db()
    assert draft.is_draft

    # Complete, it is submitted and becomes the school's newest profile.
    response = client.post(edit_url(draft), profile_data(scene, revision=draft.revision))
    draft.refresh_from_db()
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert draft.status == RiskProfile.Status.SUBMITTED
    assert draft.levels.count() == 3
    assert not RiskProfile.objects.drafts().exists()


def test_a_submitted_profile_is_never_taken_back_to_a_draft(scene, world, as_user):
    profile = scene.inside.profile
    data = profile_data(
        scene, assessed_on="", revision=profile.revision, draft="1", source="пересмотрено"
    )
    response = as_user(world.school).post(edit_url(profile), data)
    assert response.status_code == 200
    assert response.context["form"].errors["assessed_on"] == ["Обязательное поле."]
    profile.refresh_from_db()
    assert profile.status == RiskProfile.Status.SUBMITTED and profile.source == ""
    assert "Сохранить черновик" not in response.content.decode()


def test_a_draft_is_seen_by_those_who_may_finish_it_only(scene, world, as_user):
    as_user(world.school).post(new_url(world), profile_data(scene, draft="1"))
    draft = draft_of(world)
    assert as_user(world.school).get(draft.get_absolute_url()).url == edit_url(draft)
    assert as_user(world.coordinator).get(edit_url(draft)).status_code == 200
    assert as_user(world.curator).get(draft.get_absolute_url()).status_code == 404
    assert as_user(world.outsider).get(edit_url(draft)).status_code == 404


def test_a_submitted_profile_without_a_date_is_refused_by_the_database(scene, world):
    with pytest.raises(IntegrityError):
        RiskProfile.objects.create(school=world.supported_school, assessed_on=None)


def test_a_school_has_one_draft_at_a_time(scene, world):
    RiskProfile.objects.create(school=world.supported_school, status=RiskProfile.Status.DRAFT)
    with pytest.raises(IntegrityError):
        RiskProfile.objects.create(school=world.supported_school, status=RiskProfile.Status.DRAFT)


def figures(world, client):
    """Every figure a school's risk profile feeds, as the program's coordinator sees them (a
    coordinator may open the school's draft, so a leak would show here)."""
    school, user = world.supported_school, world.coordinator
    page = client.get(school.get_absolute_url()).context
    compare = client.get(reverse("schools:risk_profile_compare", args=[school.pk])).context
    traced = trace(
        [school.pk],
        items=RoadmapItem.objects.all(),
        documents=Document.objects.all(),
        profiles=RiskProfile.objects.visible_to(user),
    )[school.pk]
    card = KINDS["school"].build(school, user)
    risks = next(t for t in card.tables() if t.title.startswith("Рисковый профиль"))
    return {
        "school page": (
            page["risk_newest"].pk,
            [(row["factor"].code, row["change"]) for row in page["risk_rows"]],
        ),
        "compared": [p.pk for p in compare["profiles"]],
        "traceability": (traced.profile_date, [(t.factor.code, t.level) for t in traced.factors]),
        "pairing": {
            fid: level.level for fid, level in pairing._levels([school.pk])[school.pk].items()
        },
        "school card": [r.text if r.is_group else r.values for r in risks.rows],
    }


def test_a_draft_changes_no_figure_until_it_is_submitted(scene, world, as_user):
    coordinator = as_user(world.coordinator)
    before = figures(world, coordinator)
    # A newer profile, complete, with every level different: as a draft it changes nothing.
    newer = profile_data(scene, ["none", "none", "none"], draft="1")
    as_user(world.school).post(new_url(world), newer)
    draft = draft_of(world)
    assert draft.assessed_on == scene.today and draft.levels.count() == 3
    assert figures(world, coordinator) == before

    # Submitted, the same profile changes every one of them.
    submit = {k: v for k, v in newer.items() if k != "draft"} | {"revision": draft.revision}
    as_user(world.school).post(edit_url(draft), submit)
    draft.refresh_from_db()
    assert draft.status == RiskProfile.Status.SUBMITTED
    after = figures(world, coordinator)
    assert all(after[name] != before[name] for name in before), after


@pytest.mark.django_db(transaction=True)
def test_profiles_saved_before_drafts_count_as_submitted(world):
    """The migration that brings drafts makes every profile already saved a submitted one."""
    executor = MigrationExecutor(connection)
    before = [("schools", "0004_words_events_and_items")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("schools", "RiskProfile")
    old.objects.create(school_id=world.supported_school.pk, assessed_on=datetime.date(2023, 5, 31))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    profile = RiskProfile.objects.get(school=world.supported_school)
    assert profile.status == RiskProfile.Status.SUBMITTED
    assert RiskProfile.objects.submitted().contains(profile)
