"""A values import past `IMPORT_BACKGROUND_ROWS` is applied by a worker: the confirmation answers
at once with the import's page, which shows the progress and then what was written, to the
coordinator who confirmed it only; the file is written whole or not at all, once. And the write
of any import takes the same few statements whatever the number of values."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.imports import BROKEN, CHANGED, NO_ACCESS
from core.models import ImportJob
from monitoring.imports import (
    HISTORY_REASON,
    STALE,
    ImportStale,
    indicator_header,
    plan_values_import,
)
from monitoring.models import Indicator, Measurement
from programs.models import Participant
from tests import factories as f
from tests.staff_helpers import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    point = f.MonitoringPointFactory(program=world.program, title="Май")
    share = f.IndicatorFactory(program=world.program, code="1", title="Доля «2» по математике")
    yes_no = f.IndicatorFactory(
        program=world.program, code="2", title="Есть программа", unit=Indicator.Unit.YES_NO
    )
    return point, share, yes_no


@pytest.fixture
def large(settings):
    """Every file of more than one value is large: it goes to the worker."""
    settings.IMPORT_BACKGROUND_ROWS = 1


def header(share, yes_no):
    return ["Школа", "ИНН", "Муниципалитет", indicator_header(share), indicator_header(yes_no)]


def good_file(world, share, yes_no):
    return xlsx(
        [
            header(share, yes_no),
            [world.supported_school.short_name, "", "", "12,5", "да"],
            [world.curator_school.short_name, "", "", 40, "нет"],
        ]
    )


def preview(world, client, point, content):
    return client.post(
        reverse("monitoring:import_values", args=[world.program.pk]),
        {"point": point.pk, "file": SimpleUploadedFile("значения.xlsx", content)},
    )


def confirm(world, client, token, capture):
    with capture(execute=True):
        return client.post(
            reverse("monitoring:import_values_confirm", args=[world.program.pk]),
            {"token": token},
        )


def test_a_large_file_is_written_by_a_worker_and_its_page_shows_progress_then_the_result(
    world, setup, as_user, large, task_backend, monkeypatch, django_capture_on_commit_callbacks
):
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    assert "после подтверждения он будет записан в фоне" in shown.content.decode()
    response = confirm(world, client, shown.context["token"], django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.url == reverse("monitoring:import_values_job", args=[world.program.pk, job.pk])
    assert (job.kind, job.rows, job.requested_by) == ("values", 4, world.coordinator)
    assert not Measurement.objects.exists()
    waiting = client.get(response.url).content.decode()
    assert "Файл загружается: в очереди" in waiting
    assert 'hx-trigger="every 2s"' in waiting

    # What the page shows while the worker writes (the worker runs in this process).
    seen = []
    import monitoring.imports as imports

    write_values = imports.write_values

    def watched(*args, **kwargs):
        fragment = client.get(response.url, headers={"HX-Request": "true"})
        seen.append(fragment.content.decode())
        return write_values(*args, **kwargs)

    monkeypatch.setattr(imports, "write_values", watched)
    task_backend()

    assert "выполняется, запись: строк — 4" in seen[0] and 'aria-valuenow="40"' in seen[0]
    assert "<html" not in seen[0]
    job.refresh_from_db()
    assert (job.status, job.progress, job.content) == (ImportJob.Status.READY, 100, b"")
    assert job.summary == {"created": 4, "updated": 0, "unchanged": 0}
    saved = dict(
        Measurement.objects.filter(organization=world.supported_school).values_list(
            "indicator__code", "value"
        )
    )
    assert saved == {"1": Decimal("12.5"), "2": Decimal("1")}
    value = Measurement.objects.get(organization=world.curator_school, indicator=share)
    assert (value.status, value.entered_by) == (Measurement.Status.SUBMITTED, world.coordinator)
    (record,) = value.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        world.coordinator,
        HISTORY_REASON,
    )
    done = client.get(response.url).content.decode()
    assert "Значения загружены: новых — 4, изменено — 0, без изменений — 0." in done
    assert 'hx-trigger="every 2s"' not in done
    assert point.get_absolute_url() in done


def test_a_small_file_is_still_written_in_the_request(world, setup, as_user, settings):
    settings.IMPORT_BACKGROUND_ROWS = 4
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    assert "в фоне" not in shown.content.decode()
    kept = client.session["xlsx_imports"]
    url = reverse("monitoring:import_values_confirm", args=[world.program.pk])
    done = client.post(url, {"token": shown.context["token"]})
    assert done.url == point.get_absolute_url()
    assert Measurement.objects.count() == 4
    job = ImportJob.objects.get()
    assert (job.status, job.summary["created"]) == (ImportJob.Status.READY, 4)
    # A second tab that still holds the file: its confirmation finds the import made.
    session = client.session
    session["xlsx_imports"] = kept
    session.save()
    again = client.post(url, {"token": shown.context["token"]})
    assert again.url == reverse("monitoring:import_values_job", args=[world.program.pk, job.pk])
    assert Measurement.objects.count() == 4 and Measurement.history.count() == 4


def test_the_same_file_confirmed_twice_at_once_is_imported_once(
    world, setup, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    token = shown.context["token"]
    # Two tabs sent the confirmation before either answered: both still find the file.
    kept = client.session["xlsx_imports"]
    first = confirm(world, client, token, django_capture_on_commit_callbacks)
    session = client.session
    session["xlsx_imports"] = kept
    session.save()
    second = confirm(world, client, token, django_capture_on_commit_callbacks)
    # And a reload of the confirmation afterwards.
    third = confirm(world, client, token, django_capture_on_commit_callbacks)
    assert first.url == second.url == third.url
    task_backend()
    assert ImportJob.objects.count() == 1
    assert Measurement.objects.count() == 4
    assert Measurement.history.count() == 4


@pytest.mark.parametrize(
    "person, status",
    [
        # Coordinators who may import into the program too, or who do not see it.
        ("region", 404),
        ("other_coordinator", 404),
        ("outsider", 404),
        # Who see the program but never import into it.
        ("curator", 403),
        ("school", 403),
    ],
)
def test_the_import_page_is_only_for_the_coordinator_who_confirmed_it(
    world, setup, as_user, large, person, status, django_capture_on_commit_callbacks
):
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    url = confirm(world, client, shown.context["token"], django_capture_on_commit_callbacks).url
    assert client.get(url).status_code == 200
    other = as_user(world.people[person])
    assert other.get(url).status_code == status
    assert other.get(url, headers={"HX-Request": "true"}).status_code == status
    # Nor under a program of their own.
    job = ImportJob.objects.get()
    own = f.ProgramFactory(owner=world.other_authority)
    elsewhere = reverse("monitoring:import_values_job", args=[own.pk, job.pk])
    assert as_user(world.other_coordinator).get(elsewhere).status_code == 404


def test_a_failed_write_leaves_no_value_and_says_so(
    world, setup, as_user, large, task_backend, monkeypatch, django_capture_on_commit_callbacks
):
    point, share, yes_no = setup
    f.MeasurementFactory(
        indicator=share, point=point, organization=world.supported_school, value=20
    )
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    url = confirm(world, client, shown.context["token"], django_capture_on_commit_callbacks).url

    def broken(program_id=None):
        raise RuntimeError("disk full")

    # After every value and its history is written, the last statement of the write fails.
    monkeypatch.setattr("monitoring.imports.data_changed", broken)
    task_backend()
    job = ImportJob.objects.get()
    assert (job.status, job.error, job.content) == (ImportJob.Status.FAILED, BROKEN, b"")
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(20)]
    assert not Measurement.history.filter(history_type="~").exists()
    assert Measurement.history.count() == 1
    page = client.get(url).content.decode()
    assert BROKEN in page and "Загрузить файл снова" in page


def test_the_worker_checks_the_coordinators_rights_again(
    world, setup, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    confirm(world, client, shown.context["token"], django_capture_on_commit_callbacks)
    world.coordinator.memberships.all().delete()
    task_backend()
    job = ImportJob.objects.get()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, NO_ACCESS)
    assert not Measurement.objects.exists()


def test_a_value_approved_before_the_worker_came_is_named_and_nothing_is_saved(
    world, setup, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    point, share, yes_no = setup
    waiting = f.MeasurementFactory(
        indicator=share, point=point, organization=world.supported_school, value=20
    )
    client = as_user(world.coordinator)
    shown = preview(world, client, point, good_file(world, share, yes_no))
    url = confirm(world, client, shown.context["token"], django_capture_on_commit_callbacks).url
    Measurement.objects.filter(pk=waiting.pk).update(status=Measurement.Status.APPROVED)
    task_backend()
    job = ImportJob.objects.get()
    assert (job.status, job.error) == (ImportJob.Status.FAILED, CHANGED)
    assert job.errors == [
        {
            "row": 2,
            "column": indicator_header(share),
            "message": "Значение уже утверждено; изменить его можно после возврата на доработку.",
        }
    ]
    assert Measurement.objects.count() == 1
    page = client.get(url).content.decode()
    assert "Значение уже утверждено" in page


def test_a_value_changed_after_the_plan_is_not_overwritten(world, setup):
    point, share, yes_no = setup
    saved = f.MeasurementFactory(
        indicator=share, point=point, organization=world.supported_school, value=20
    )
    plan = plan_values_import(good_file(world, share, yes_no), point, world.coordinator)
    assert len(plan.updates) == 1 and len(plan.creates) == 3
    # Saved from the school's sheet between the plan and the write.
    saved.value = 21
    saved.save()
    with pytest.raises(ImportStale, match=STALE[:20]):
        plan.apply(world.coordinator)
    assert Measurement.objects.count() == 1
    saved.refresh_from_db()
    assert saved.value == 21


def many_schools(world, count):
    schools = [
        f.OrganizationFactory(municipality=world.municipality, short_name=f"Школа № {n} (импорт)")
        for n in range(count)
    ]
    for school in schools:
        f.ParticipantFactory(
            program=world.program, organization=school, role=Participant.Role.SUPPORTED
        )
    return schools


def write_queries(world, point, share, yes_no, schools):
    """The queries of writing a file where every school has one changed and one new value."""
    for school in schools:
        f.MeasurementFactory(indicator=share, point=point, organization=school, value=1)
    rows = [header(share, yes_no)] + [[s.short_name, "", "", 2, "да"] for s in schools]
    plan = plan_values_import(xlsx(rows), point, world.coordinator)
    assert (len(plan.updates), len(plan.creates)) == (len(schools), len(schools))
    with CaptureQueriesContext(connection) as queries:
        plan.apply(world.coordinator)
    assert Measurement.objects.filter(point=point, indicator=share, value=2).count() == len(schools)
    assert Measurement.objects.filter(point=point, indicator=yes_no, value=1).count() == len(
        schools
    )
    assert Measurement.history.filter(history_type="~").count() == len(schools)
    return len(queries)


def test_the_write_takes_the_same_queries_for_5_and_50_schools(world, setup, django_db_blocker):
    point, share, yes_no = setup
    other = f.MonitoringPointFactory(program=world.program, title="Октябрь")
    schools = many_schools(world, 50)
    small = write_queries(world, point, share, yes_no, schools[:5])
    Measurement.history.all().delete()
    large = write_queries(world, other, share, yes_no, schools)
    # The savepoint and its release; the new values and their history; the changed values and
    # their history (on PostgreSQL each write copies its own history in the same statement);
    # the program's data version; the access check of the schools written.
    assert small == large == (6 if connection.vendor == "postgresql" else 8)


def plan_queries(world, point, share, yes_no, schools):
    """The queries of planning a file where every school has one changed and one new value."""
    for school in schools:
        f.MeasurementFactory(indicator=share, point=point, organization=school, value=1)
    content = xlsx([header(share, yes_no)] + [[s.short_name, "", "", 2, "да"] for s in schools])
    # As in a request: the point's program not yet fetched, the coordinator's reach not known.
    point = type(point).objects.get(pk=point.pk)
    user = type(world.coordinator).objects.get(pk=world.coordinator.pk)
    with CaptureQueriesContext(connection) as queries:
        plan = plan_values_import(content, point, user)
    assert plan.is_valid and (len(plan.updates), len(plan.creates)) == (
        len(schools),
        len(schools),
    )
    return len(queries)


def test_the_plan_takes_the_same_queries_for_5_and_50_schools(world, setup):
    point, share, yes_no = setup
    other = f.MonitoringPointFactory(program=world.program, title="Октябрь")
    schools = many_schools(world, 50)
    small = plan_queries(world, point, share, yes_no, schools[:5])
    large = plan_queries(world, other, share, yes_no, schools)
    # The program, its indicators, its schools; the coordinator's reach (their memberships and
    # the pairs they curate) and the schools it lets them enter values for; the values saved
    # at the point.
    assert small == large == 7
