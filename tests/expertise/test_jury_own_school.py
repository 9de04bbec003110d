"""A juror never scores a contest work of their own school (with its parent and branches), as
document expertise forbids a school's own people to review its documents."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expertise.models import Contest, JuryScore, Practice, Submission
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(world):
    contest = Contest.objects.create(program=world.program, title="Панорама кейсов", max_score=10)
    contest.jury.add(world.curator, world.school)
    return contest


def submission_of(contest, school, title):
    practice = Practice.objects.create(title=title, author_school=school, description="…")
    return Submission.objects.create(contest=contest, practice=practice)


def test_a_juror_scores_another_schools_work(world, contest, as_user):
    work = submission_of(contest, world.supported_school, "Квест")
    response = as_user(world.curator).post(
        reverse("expertise:jury_score", args=[work.pk]), {"score": 7}
    )
    assert response.status_code == 302
    assert work.jury_scores.get().score == 7


@pytest.mark.parametrize("author", ["supported_school", "branch"])
def test_a_juror_may_not_score_a_work_of_their_own_school(world, contest, as_user, author):
    work = submission_of(contest, getattr(world, author), "Своя работа")
    client = as_user(world.school)
    response = client.post(reverse("expertise:jury_score", args=[work.pk]), {"score": 10})
    assert response.status_code == 403
    assert "своей школы" in response.content.decode()
    assert not JuryScore.objects.exists()
    page = client.get(contest.get_absolute_url()).content.decode()
    assert "работа вашей школы — не оцениваете" in page


def test_a_parent_schools_juror_may_not_score_its_branchs_work(world, contest):
    work = submission_of(contest, world.branch, "Работа филиала")
    assert not Submission.objects.scorable_by(world.school).filter(pk=work.pk).exists()
    assert Submission.objects.scorable_by(world.curator).filter(pk=work.pk).exists()


def test_the_model_refuses_such_a_score_in_the_admin_too(world, contest):
    work = submission_of(contest, world.supported_school, "Своя работа")
    with pytest.raises(ValidationError, match="своей школы"):
        JuryScore(submission=work, juror=world.school, score=5).full_clean()


def test_a_staff_member_of_the_branch_may_not_score_the_parents_work(world, contest):
    teacher = f.UserFactory(username="branch_teacher")
    f.MembershipFactory(user=teacher, organization=world.branch, role=Membership.Role.STAFF)
    contest.jury.add(teacher)
    work = submission_of(contest, world.supported_school, "Работа головной школы")
    assert not Submission.objects.scorable_by(teacher).filter(pk=work.pk).exists()
