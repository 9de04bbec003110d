"""A school import past `IMPORT_BACKGROUND_ROWS` is applied by a worker, with its progress and
then its result on the import's page, for the coordinator who confirmed it only; whole or not
at all, once. The write takes the same few statements for 5 and for 50 schools."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.imports import BROKEN, NO_ACCESS
from core.models import ImportJob
from schools.imports import COLUMNS, plan_school_import
from schools.models import Organization, SchoolStatus
from tests import factories as f
from tests.staff_helpers import xlsx

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in COLUMNS]


def row(**values):
    return [values.get(c.key, "") for c in COLUMNS]


@pytest.fixture
def large(settings):
    settings.IMPORT_BACKGROUND_ROWS = 1


def good_file(world):
    return xlsx(
        [
            HEADER,
            row(
                short_name="МБОУ «Лянторская СОШ № 3»",
                municipality="Сургутский район",
                inn="8617001234",
                year=2022,
                categories="ШНОР",
            ),
            row(short_name=world.supported_school.short_name, address="п. Русскинская, 1"),
        ]
    )


def confirmed(world, client, capture, content=None):
    preview = client.post(
        reverse("schools:import"),
        {
            "region": world.region.pk,
            "file": SimpleUploadedFile("школы.xlsx", content or good_file(world)),
        },
    )
    assert preview.context["plan"].errors == []
    with capture(execute=True):
        return client.post(reverse("schools:import_confirm"), {"token": preview.context["token"]})


def test_a_large_file_is_written_by_a_worker_and_its_page_shows_the_result(
    world, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    response = confirmed(world, client, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.url == reverse("schools:import_job", args=[job.pk])
    assert job.rows == 3  # a school created, one changed, one status added
    assert not Organization.objects.filter(inn="8617001234").exists()
    waiting = client.get(response.url).content.decode()
    assert "Файл загружается: в очереди" in waiting and 'hx-trigger="every 2s"' in waiting

    task_backend()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert job.summary == {"created": 1, "updated": 1, "unchanged": 0, "statuses": 1}
    new = Organization.objects.get(inn="8617001234")
    assert new.statuses.get().category == "low_results"
    world.supported_school.refresh_from_db()
    assert world.supported_school.address == "п. Русскинская, 1"
    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "школ создано — 1, изменено — 1, без изменений — 0, статусов добавлено — 1" in fragment
    assert 'hx-trigger="every 2s"' not in fragment and "<html" not in fragment


@pytest.mark.parametrize("person", ["region", "other_coordinator"])
def test_another_coordinator_does_not_find_the_import(
    world, as_user, large, person, django_capture_on_commit_callbacks
):
    url = confirmed(world, as_user(world.coordinator), django_capture_on_commit_callbacks).url
    assert as_user(world.people[person]).get(url).status_code == 404


@pytest.mark.parametrize("person", ["curator", "school", "outsider"])
def test_who_imports_no_schools_is_refused(
    world, as_user, large, person, django_capture_on_commit_callbacks
):
    url = confirmed(world, as_user(world.coordinator), django_capture_on_commit_callbacks).url
    assert as_user(world.people[person]).get(url).status_code == 403


def test_a_failed_write_leaves_no_school_and_says_so(
    world, as_user, large, task_backend, monkeypatch, django_capture_on_commit_callbacks
):
    before = set(Organization.objects.values_list("pk", "address"))
    client = as_user(world.coordinator)
    url = confirmed(world, client, django_capture_on_commit_callbacks).url

    def broken(*args, **kwargs):
        raise RuntimeError("connection lost")

    # The schools are written, then adding their statuses fails.
    monkeypatch.setattr(SchoolStatus.objects, "bulk_create", broken)
    task_backend()
    job = ImportJob.objects.get()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, BROKEN)
    assert set(Organization.objects.values_list("pk", "address")) == before
    assert BROKEN in client.get(url).content.decode()


def test_a_coordinator_who_left_their_post_imports_nothing(
    world, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    confirmed(world, as_user(world.coordinator), django_capture_on_commit_callbacks)
    world.coordinator.memberships.update(role="staff")
    task_backend()
    job = ImportJob.objects.get()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, NO_ACCESS)
    assert not Organization.objects.filter(inn="8617001234").exists()


def write_queries(world, count, start):
    """The queries of writing a file of `count` schools: half new, half changed, each with a
    status."""
    existing = [
        f.OrganizationFactory(municipality=world.municipality, short_name=f"Школа {start + n}")
        for n in range(count // 2)
    ]
    rows = [HEADER] + [
        row(short_name=s.short_name, address="ул. Новая", year=2023, categories="ШНОР")
        for s in existing
    ]
    rows += [
        row(
            short_name=f"Новая школа {start + n}",
            municipality="Сургутский район",
            year=2023,
            categories="ШССУ",
        )
        for n in range(count - len(existing))
    ]
    plan = plan_school_import(xlsx(rows), world.region, world.coordinator)
    assert plan.errors == [] and len(plan.creates) == count - len(existing)
    statuses = SchoolStatus.objects.count()
    with CaptureQueriesContext(connection) as queries:
        plan.apply(world.coordinator)
    assert SchoolStatus.objects.count() == statuses + count
    changed = Organization.objects.filter(pk__in=[s.pk for s in existing], address="ул. Новая")
    assert changed.count() == len(existing)
    return len(queries)


def test_the_write_takes_the_same_queries_for_5_and_50_schools(world):
    small = write_queries(world, 6, 0)
    large = write_queries(world, 50, 100)
    # The savepoint and its release; the new schools; the changed ones; the branches' heads
    # (none here); the data version; the statuses; the access check.
    assert small == large == 7
