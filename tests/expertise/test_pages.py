"""Every page of expertise through the access rules: the named people, 404 for those who do not
see, 403 for those who see but may not act; and query counts that do not grow with rows."""

import pytest
from django.urls import reverse

from expertise import services
from expertise.models import Assignment, Contest, Practice

from .. import factories as f

EVERYONE = ["region", "coordinator", "other_coordinator", "curator", "school", "outsider"]


def _statuses(as_user, people, url):
    return {name: as_user(people[name]).get(url).status_code for name in EVERYONE}


def test_the_coordinator_edits_the_programs_checklist(world, as_user):
    client = as_user(world.coordinator)
    url = reverse("expertise:criteria", args=[world.program.pk, "anti_risk_program"])
    client.post(url, {"defaults": "1"})
    criteria = list(world.program.criteria.filter(kind="anti_risk_program"))
    assert len(criteria) == 4
    data = {"criteria-TOTAL_FORMS": 5, "criteria-INITIAL_FORMS": 4}
    for n, criterion in enumerate(criteria):
        data |= {
            f"criteria-{n}-id": criterion.pk,
            f"criteria-{n}-title": criterion.title,
            f"criteria-{n}-max_score": 5,
            f"criteria-{n}-order": n,
        }
    data |= {
        "criteria-0-DELETE": "on",
        "criteria-4-title": "Связь с рисковым профилем",
        "criteria-4-max_score": 2,
        "criteria-4-order": 9,
    }
    assert client.post(url, data).status_code == 302
    titles = list(
        world.program.criteria.filter(kind="anti_risk_program").values_list("title", "max_score")
    )
    assert len(titles) == 4 and titles[-1] == ("Связь с рисковым профилем", 2)
    assert all(score == 5 for _, score in titles[:-1])


def test_sheet_and_changes_pages(review_world, as_user):
    w = review_world.world
    sheet = services.assign(
        review_world.document,
        review_world.peer,
        role=Assignment.Role.MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
    )
    people = {**w.people, "peer": review_world.peer}
    for url in (
        sheet.get_absolute_url(),
        reverse("expertise:changes", args=[review_world.document.pk]),
    ):
        statuses = {
            name: as_user(people[name]).get(url).status_code
            for name in ("peer", "school", "coordinator", "outsider", "other_coordinator")
        }
        assert statuses == {
            "peer": 200,
            "school": 200,
            "coordinator": 200,
            "outsider": 404,
            "other_coordinator": 404,
        }, url
    page = as_user(review_world.peer).get(sheet.get_absolute_url()).content.decode()
    assert 'id="sheet-form"' in page
    assert 'id="sheet-form"' not in as_user(w.school).get(sheet.get_absolute_url()).content.decode()
    mine = as_user(review_world.peer).get(reverse("expertise:my_sheets")).content.decode()
    assert review_world.document.title in mine
    assert (
        review_world.document.title
        not in as_user(w.curator).get(reverse("expertise:my_sheets")).content.decode()
    )


def test_contest_page_follows_the_program(world, as_user):
    contest = Contest.objects.create(program=world.program, title="Панорама")
    statuses = _statuses(as_user, world.people, contest.get_absolute_url())
    assert statuses == {
        "region": 200,
        "coordinator": 200,
        "other_coordinator": 404,
        "curator": 200,
        "school": 200,
        "outsider": 404,
    }


def test_the_bank_needs_a_sign_in_and_the_public_bank_does_not(world, as_user):
    assert as_user(None).get(reverse("expertise:bank")).status_code == 302
    assert as_user(None).get(reverse("expertise:public_bank")).status_code == 200
    assert as_user(world.outsider).get(reverse("expertise:bank")).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_bank_list_costs_the_same_for_5_and_50_practices(
    world, as_user, count, django_assert_num_queries
):
    for n in range(count):
        p = Practice.objects.create(
            title=f"Практика {n}", author_school=world.curator_school, description="…", in_bank=True
        )
        f.OrganizationFactory()
    client = as_user(world.outsider)
    client.get(reverse("expertise:bank"))  # sessions and reach warmed up alike
    # session, user, reach (3), may add a card, the contests, count, the filter's choices (2),
    # the page, its factors and subjects, and the base layout's links (2)
    # 15, and two for the second factor: the person's TOTP and backup-code devices.
    with django_assert_num_queries(17):
        client.get(reverse("expertise:bank"))
    assert p.pk
