"""The consultation line: a school or a curator asks in a program, on a topic or a roadmap
item; the program's coordinators, its operator or the pair's curator answer; both sides are
told; answered questions can be published as the program's FAQ."""

import pytest
from django.utils import timezone

from notices.models import Consultation, Kind
from schools.models import Membership
from tests import factories as f

from .helpers import round_at, told

pytestmark = pytest.mark.django_db


def url(world):
    return f"/notices/consultations/program/{world.program.pk}/"


def ask(world, as_user, **changes):
    data = {
        "organization": world.supported_school.pk,
        "topic": "Оценочные процедуры",
        "question": "Как учитывать ВПР в ВСОКО?",
    }
    data.update(changes)
    return as_user(world.school).post(url(world), data)


def test_a_school_asks_and_those_who_may_answer_are_told(people, as_user):
    operator = f.OrganizationFactory(
        kind="methodical_center", municipality=people.municipality, short_name="МКУ «ИМЦ»"
    )
    people.program.operator = operator
    people.program.save()
    methodist = f.UserFactory(username="methodist")
    f.MembershipFactory(user=methodist, organization=operator)
    response = ask(people, as_user)
    question = Consultation.objects.get()
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert question.asked_by == people.school and question.organization == people.supported_school
    round_at(timezone.now())
    round_at(timezone.now())
    assert told(Kind.QUESTION_ASKED) == {"coordinator", "curator", "methodist"}


def test_a_question_on_a_roadmap_item(people, as_user):
    roadmap = f.RoadmapFactory(program=people.program)
    item = f.RoadmapItemFactory(roadmap=roadmap, title="Самодиагностика")
    ask(people, as_user, item=item.pk)
    assert Consultation.objects.get().item == item


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"topic": ""}, "topic", "Укажите тему вопроса."),
        ({"question": ""}, "question", "Напишите вопрос."),
        ({"organization": "outsider"}, "organization", "Выберите корректный вариант"),
    ],
)
def test_a_wrong_question_is_refused(people, as_user, changes, field, message):
    if changes.get("organization") == "outsider":
        changes["organization"] = people.outsider_school.pk
    response = ask(people, as_user, **changes)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Consultation.objects.exists()


def test_only_participants_ask_and_outsiders_see_nothing(people, as_user):
    assert as_user(people.coordinator).post(url(people), {"topic": "x"}).status_code == 403
    assert as_user(people.outsider).get(url(people)).status_code == 404


def test_the_pairs_curator_answers_and_the_asker_is_told(people, as_user):
    ask(people, as_user)
    question = Consultation.objects.get()
    response = as_user(people.curator).post(
        question.get_absolute_url(), {"answer": "ВПР — внешняя оценка, учитывайте её в ВСОКО."}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_by == people.curator and question.is_answered
    round_at(timezone.now())
    assert told(Kind.QUESTION_ANSWERED) == {"school"}


def test_the_school_may_not_answer_and_another_school_does_not_see_the_question(people, as_user):
    ask(people, as_user)
    question = Consultation.objects.get()
    assert (
        as_user(people.school).post(question.get_absolute_url(), {"answer": "сам"}).status_code
        == 403
    )
    neighbour = f.OrganizationFactory(municipality=people.municipality)
    f.ParticipantFactory(program=people.program, organization=neighbour)
    other_staff = f.UserFactory(username="neighbour")
    f.MembershipFactory(user=other_staff, organization=neighbour, role=Membership.Role.STAFF)
    assert as_user(other_staff).get(question.get_absolute_url()).status_code == 404
    assert list(as_user(other_staff).get(url(people)).context["questions"]) == []


def test_an_answer_published_as_faq_is_seen_by_the_program_and_by_the_public(
    people, as_user, client
):
    ask(people, as_user)
    question = Consultation.objects.get()
    as_user(people.coordinator).post(
        question.get_absolute_url(), {"answer": "Учитывайте как внешнюю оценку.", "is_faq": "on"}
    )
    faq = f"/notices/consultations/program/{people.program.pk}/faq/"
    assert "Учитывайте как внешнюю оценку." in as_user(people.curator).get(faq).content.decode()
    assert client.get(faq).status_code == 302  # the program's page is not public
    people.program.is_public = True
    people.program.save()
    page = client.get(faq).content.decode()
    assert "Оценочные процедуры" in page and "Учитывайте как внешнюю оценку." in page
    assert people.school.username not in page


def test_an_unanswered_question_never_goes_to_the_faq(people, as_user):
    from django.db import IntegrityError, transaction

    ask(people, as_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.update(is_faq=True)
