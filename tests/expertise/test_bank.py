"""The bank of good practice: search by words, risk factor and subject; who sees what; the
public bank; contests whose winners enter the bank."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from expertise.models import Contest, Practice, Subject, Submission
from schools.models import RiskFactor


@pytest.fixture
def bank(world):
    motivation = RiskFactor.objects.create(
        code="3.2", title="Низкая учебная мотивация", group="Климат"
    )
    staff = RiskFactor.objects.create(
        code="1.1", title="Дефицит педагогических кадров", group="Кадры"
    )
    maths, russian = (
        Subject.objects.create(name="математика"),
        Subject.objects.create(name="русский язык"),
    )

    def practice(title, school, factors, subjects, **values):
        p = Practice.objects.create(
            title=title, author_school=school, description=f"{title}: описание", **values
        )
        p.risk_factors.set(factors)
        p.subjects.set(subjects)
        return p

    return {
        "quest": practice(
            "Математический квест",
            world.curator_school,
            [motivation],
            [maths],
            in_bank=True,
            is_public=True,
        ),
        "tutors": practice(
            "Наставники из вузов", world.curator_school, [staff], [russian], in_bank=True
        ),
        "draft": practice("Черновик школы", world.supported_school, [motivation], [maths]),
        "motivation": motivation,
        "maths": maths,
        "russian": russian,
    }


def _titles(response):
    return [p.title for p in response.context["page"]]


def test_search_by_words_risk_factor_and_subject(world, bank, as_user):
    client = as_user(world.outsider)
    url = reverse("expertise:bank")
    assert _titles(client.get(url, {"q": "квест"})) == ["Математический квест"]
    assert _titles(client.get(url, {"risk_factor": bank["motivation"].pk})) == [
        "Математический квест"
    ]
    assert _titles(client.get(url, {"subject": bank["russian"].pk})) == ["Наставники из вузов"]
    assert _titles(client.get(url, {"q": "вуз", "subject": bank["maths"].pk})) == []


def test_a_card_not_in_the_bank_is_seen_by_its_schools_people_only(world, bank, as_user):
    url = reverse("expertise:bank")
    assert "Черновик школы" in _titles(as_user(world.school).get(url))
    assert "Черновик школы" not in _titles(as_user(world.outsider).get(url))
    assert as_user(world.outsider).get(bank["draft"].get_absolute_url()).status_code == 404


def test_the_public_bank_shows_only_what_the_author_published(world, bank, client):
    response = client.get(reverse("expertise:public_bank"))
    assert response.status_code == 200
    assert _titles(response) == ["Математический квест"]
    assert (
        client.get(reverse("expertise:public_practice", args=[bank["tutors"].pk])).status_code
        == 404
    )


def test_a_school_adds_a_card_with_files_and_only_for_its_own_school(world, bank, as_user):
    client = as_user(world.school)
    data = {
        "title": "Читательский клуб",
        "author_school": world.supported_school.pk,
        "description": "Клуб",
        "risk_factors": [bank["motivation"].pk],
        "files": [SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")],
    }
    assert client.post(reverse("expertise:practice_create"), data).status_code == 302
    practice = Practice.objects.get(title="Читательский клуб")
    assert practice.files.get().original_name == "plan.pdf" and not practice.in_bank
    data["author_school"] = world.curator_school.pk
    refused = client.post(reverse("expertise:practice_create"), data)
    assert "Выберите школу" in refused.content.decode()
    assert (
        as_user(world.school)
        .get(bank["quest"].get_absolute_url().replace("/", "/", 1) + "edit/")
        .status_code
        == 403
    )


def test_the_jury_scores_and_the_winner_enters_the_bank(world, bank, as_user):
    contest = Contest.objects.create(
        program=world.program, title="Панорама методических кейсов", max_score=10
    )
    contest.jury.add(world.curator)
    client = as_user(world.school)
    client.post(
        reverse("expertise:contest_submit", args=[contest.pk]), {"practice": bank["draft"].pk}
    )
    submission = Submission.objects.get()
    jury = as_user(world.curator)
    too_much = jury.post(
        reverse("expertise:jury_score", args=[submission.pk]), {"score": 11}, follow=True
    )
    assert "Балл не может быть больше 10." in too_much.content.decode()
    jury.post(reverse("expertise:jury_score", args=[submission.pk]), {"score": 9})
    assert submission.jury_scores.get().score == 9
    assert (
        client.post(
            reverse("expertise:jury_score", args=[submission.pk]), {"score": 10}
        ).status_code
        == 403
    )
    assert client.post(reverse("expertise:declare_winner", args=[submission.pk])).status_code == 403
    as_user(world.coordinator).post(reverse("expertise:declare_winner", args=[submission.pk]))
    bank["draft"].refresh_from_db()
    assert bank["draft"].in_bank
    assert "Черновик школы" in _titles(as_user(world.outsider).get(reverse("expertise:bank")))


def test_a_juror_reads_the_works_of_their_contest_wherever_they_work(world, bank, as_user):
    contest = Contest.objects.create(program=world.program, title="Панорама методических кейсов")
    Submission.objects.create(contest=contest, practice=bank["draft"])
    url = bank["draft"].get_absolute_url()
    # The outsider's school lies in another municipality: a card outside the bank is hidden…
    assert as_user(world.outsider).get(url).status_code == 404
    contest.jury.add(world.outsider)
    # …until they sit on the jury of a contest the card was entered in.
    assert as_user(world.outsider).get(url).status_code == 200


def test_a_coordinator_of_the_authors_territory_takes_a_card_into_the_bank(world, bank, as_user):
    url = reverse("expertise:include_in_bank", args=[bank["draft"].pk])
    assert as_user(world.school).post(url).status_code == 403
    assert as_user(world.outsider).post(url).status_code == 404
    as_user(world.coordinator).post(url)
    bank["draft"].refresh_from_db()
    assert bank["draft"].in_bank


def test_a_public_cards_file_is_open_and_a_draft_cards_is_not(world, bank, client):
    from expertise.models import PracticeFile

    public = PracticeFile.objects.create(
        practice=bank["quest"], file=SimpleUploadedFile("q.pdf", b"%PDF-1.4"), original_name="q.pdf"
    )
    draft = PracticeFile.objects.create(
        practice=bank["draft"], file=SimpleUploadedFile("d.pdf", b"%PDF-1.4"), original_name="d.pdf"
    )
    assert client.get(reverse("expertise:practice_file", args=[public.pk])).status_code == 200
    assert client.get(reverse("expertise:practice_file", args=[draft.pk])).status_code == 404


def test_no_submissions_after_the_contests_day(world, bank, as_user):
    import datetime

    contest = Contest.objects.create(
        program=world.program, title="Прошедший", submissions_until=datetime.date(2023, 11, 30)
    )
    response = as_user(world.school).post(
        reverse("expertise:contest_submit", args=[contest.pk]),
        {"practice": bank["draft"].pk},
        follow=True,
    )
    assert "Приём работ закончился 30.11.2023." in response.content.decode()
    assert not Submission.objects.exists()
