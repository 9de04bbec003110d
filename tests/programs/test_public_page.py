"""The public entry: an anonymous visitor sees the public programs at `/`, a program page
opened without signing in shows the public page, the public page shows purpose, order,
participants, upcoming events and published materials — and nothing private."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Measurement
from programs.models import Document
from tests import factories as f
from tests.scene import upload

from .test_setup_program import program_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(world):
    program = world.program
    program.is_public = True
    program.goal = "Повышение качества образования в школах с низкими результатами"
    program.order_number = "1030"
    program.order_date = timezone.localdate().replace(month=1, day=9)
    program.save()
    return program


def document(world, title, *, is_public=True, status=Document.Status.APPROVED):
    made = f.DocumentFactory(
        program=world.program,
        organization=world.supported_school,
        title=title,
        is_public=is_public,
        status=status,
    )
    made.file.save("programma.pdf", upload(), save=True)
    return made


def test_an_anonymous_visitor_sees_the_public_programs_at_the_root(world, public, client):
    hidden = f.ProgramFactory(owner=world.other_authority, short_title="Закрытая программа")
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("programs:public", args=[public.pk]) in text
    assert "Закрытая программа" not in text
    assert hidden.pk


def test_a_program_page_opened_without_signing_in_shows_its_public_page(world, public, client):
    response = client.get(reverse("programs:detail", args=[public.pk]))
    assert response.status_code == 302
    assert response.url == reverse("programs:public", args=[public.pk])


def test_a_closed_program_page_asks_to_sign_in(world, client):
    response = client.get(reverse("programs:detail", args=[world.program.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert client.get(reverse("programs:public", args=[world.program.pk])).status_code == 404


def test_the_public_page_shows_the_programs_face_and_nothing_private(world, public, client):
    f.EventFactory(
        program=public,
        title="Семинар для управленческих команд",
        starts_at=timezone.now() + timedelta(days=3),
    )
    f.EventFactory(
        program=public, title="Прошедший семинар", starts_at=timezone.now() - timedelta(days=3)
    )
    document(world, "Программа перехода в эффективный режим")
    document(world, "Черновик концепции", status=Document.Status.SUBMITTED)
    document(world, "Внутренний отчёт", is_public=False)
    roadmap = f.RoadmapFactory(program=public)
    f.RoadmapItemFactory(roadmap=roadmap, title="Провести самодиагностику школы")
    f.MeasurementFactory(
        point=f.MonitoringPointFactory(program=public),
        indicator=f.IndicatorFactory(program=public),
        organization=world.supported_school,
        comment="Снижение из-за болезни учителя",
        status=Measurement.Status.RETURNED,
    )
    text = client.get(reverse("programs:public", args=[public.pk])).content.decode()
    assert "Повышение качества образования" in text
    assert "приказ № 1030 от 09.01." in text
    assert world.supported_school.name in text
    assert "Семинар для управленческих команд" in text
    assert "Программа перехода в эффективный режим" in text
    for private in (
        "Прошедший семинар",
        "Черновик концепции",
        "Внутренний отчёт",
        "Провести самодиагностику школы",
        "Снижение из-за болезни учителя",
        world.curator.username,
    ):
        assert private not in text


def test_a_published_material_downloads_without_signing_in_and_nothing_else_does(
    world, public, client
):
    shown = document(world, "Программа перехода")
    unpublished = document(world, "Внутренний отчёт", is_public=False)
    assert client.get(reverse("programs:public_document_file", args=[shown.pk])).status_code == 200
    url = reverse("programs:public_document_file", args=[unpublished.pk])
    assert client.get(url).status_code == 404
    public.is_public = False
    public.save()
    url = reverse("programs:public_document_file", args=[shown.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "person, status, published",
    [
        ("school", 302, True),
        ("coordinator", 302, True),
        ("curator", 403, False),
        ("outsider", 404, False),
    ],
)
def test_the_school_chooses_to_publish_its_document(
    world, public, as_user, person, status, published
):
    made = document(world, "Антирисковая программа", is_public=False)
    url = reverse("programs:document_publish", args=[made.pk])
    response = as_user(world.people[person]).post(url, {"publish": "1"})
    assert response.status_code == status
    made.refresh_from_db()
    assert made.is_public is published


def test_the_coordinator_who_opens_the_page_sees_its_address(world, as_user):
    client = as_user(world.coordinator)
    url = reverse("programs:setup", args=[world.program.pk])
    response = client.post(url, program_data(world, is_public="on"), follow=True)
    address = f"http://testserver/programs/{world.program.pk}/public/"
    assert f"Публичная страница программы: {address}" in response.content.decode()
    page = client.get(reverse("programs:detail", args=[world.program.pk])).content.decode()
    assert address in page
