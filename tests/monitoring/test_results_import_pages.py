"""The results import's pages at a monitoring point: upload → preview (every computed value
beside the one it replaces, the schools not found, the rows not read, name matches and approved
values only with a tick) → confirm, all or nothing; a large file through the worker; only the
program's coordinators, as the values import."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import ImportJob
from monitoring.models import Measurement
from monitoring.results import Assessment, Measure
from programs.models import Participant
from schools.models import Organization
from tests import factories as f
from tests.core.test_hostile_files import assert_refused, measured, saved_rows
from tests.hostile import import_corpus

pytestmark = pytest.mark.django_db

HEADER = ["Логин ОО", "ИНН", "Наименование ОО", "Предмет", "Класс", "Участников"]
HEADER += ["«2»", "«3»", "«4»", "«5»"]


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setup(world):
    """A point with two indicators from ВПР; three supported schools, found by code, by ИНН
    and by name; an approved value of the school found by ИНН."""
    program = world.program
    by_code = world.supported_school
    by_code.results_code = "SCH861001"
    by_code.save()
    by_inn = f.OrganizationFactory(
        municipality=world.municipality, inn="8617009999", short_name="МБОУ «Угутская СОШ»"
    )
    by_name = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    for school in (by_inn, by_name):
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
    point = f.MonitoringPointFactory(program=program, title="Итоги ВПР 2023")
    quality = f.IndicatorFactory(
        program=program,
        code="7.1",
        title="Качество знаний по русскому языку",
        assessment=Assessment.VPR,
        subjects=["Русский язык"],
        grades=[5],
        measure=Measure.QUALITY,
        order=1,
    )
    approved = f.MeasurementFactory(
        indicator=quality, point=point, organization=by_inn, value=70, status="approved"
    )
    ns = type("Setup", (), {})()
    ns.__dict__.update(
        point=point,
        quality=quality,
        by_code=by_code,
        by_inn=by_inn,
        by_name=by_name,
        approved=approved,
    )
    return ns


ROWS = [
    ["sch861001", "", "", "Русский язык", 5, 20, 2, 8, 8, 2],
    ["", "8617009999", "", "Русский язык", 5, 10, 1, 4, 4, 1],
    ["LYAM01", "", "МБОУ «Ляминская СОШ»", "Русский язык", 5, 25, 5, 10, 10, 0],
    ["sch000000", "", "МБОУ «Неизвестная СОШ»", "Русский язык", 5, 10, 1, 1, 1, 1],
    ["sch861001", "", "", "Математика", 5, "много", 1, 1, 1, 1],
    ["sch861001", "", "", "Физика", 5, 20, 5, 5, 5, 5],
]


def results_file():
    return xlsx([["Результаты ВПР по школам"], [], HEADER, *ROWS])


def upload(client, point, content, name="впр.xlsx"):
    return client.post(
        reverse("monitoring:import_results", args=[point.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def confirm(client, point, token, **ticks):
    return client.post(
        reverse("monitoring:import_results_confirm", args=[point.pk]), {"token": token, **ticks}
    )


def values(point):
    return dict(
        Measurement.objects.filter(point=point).values_list("organization__short_name", "value")
    )


# --- Who may ----------------------------------------------------------------------------------

EXPECTED = {
    "region": 200,
    "coordinator": 200,
    "other_coordinator": 404,  # the program is out of their reach
    "curator": 403,  # they see the point, may not import at it
    "school": 403,
    "outsider": 404,
}


@pytest.mark.parametrize("name", EXPECTED)
def test_the_pages_answer_each_person_by_the_rule_of_the_values_import(world, setup, as_user, name):
    client = as_user(world.people[name])
    assert (
        client.get(reverse("monitoring:import_results", args=[setup.point.pk])).status_code
        == (EXPECTED[name])
    )
    assert upload(client, setup.point, results_file()).status_code == EXPECTED[name]
    if EXPECTED[name] != 200:
        assert confirm(client, setup.point, "token").status_code == EXPECTED[name]
    assert not Measurement.objects.exclude(pk=setup.approved.pk).exists()


def test_a_visitor_is_sent_to_sign_in(world, setup, as_user):
    response = as_user(None).get(reverse("monitoring:import_results", args=[setup.point.pk]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("name", ["coordinator", "curator"])
def test_the_point_page_links_the_import_for_those_who_may(world, setup, as_user, name):
    page = as_user(world.people[name]).get(setup.point.get_absolute_url()).content.decode()
    link = reverse("monitoring:import_results", args=[setup.point.pk])
    assert (link in page) == (name == "coordinator")


# --- Preview and confirm ----------------------------------------------------------------------


def test_the_preview_shows_every_value_beside_the_one_it_replaces_and_writes_nothing(
    world, setup, as_user
):
    response = upload(as_user(world.coordinator), setup.point, results_file())
    page = response.content.decode()
    assert response.context["token"]
    plan = response.context["plan"]
    found = {(v.school, v.value, v.action, v.matched_by) for v in plan.plan.values}
    assert found == {
        (setup.by_code, Decimal("50.00"), "create", "code"),
        (setup.by_inn, Decimal("50.00"), "replace", "inn"),
        (setup.by_name, Decimal("40.00"), "create", "name"),
    }
    # Old beside new, the tick for the approved one, the tick for the name match.
    assert "70" in page and "50" in page
    assert f'name="replace" value="{setup.quality.pk}:{setup.by_inn.pk}"' in page
    assert f'name="accept" value="{setup.by_name.pk}"' in page
    assert "«LYAM01»" in page
    # The school not found and the row not read, with their reasons.
    assert "МБОУ «Неизвестная СОШ»" in page and "sch000000" in page
    assert "«много» — не число." in page
    assert "Физика" in page  # no indicator takes it: said so
    assert values(setup.point) == {"МБОУ «Угутская СОШ»": Decimal("70")}
    assert not ImportJob.objects.exists()


def test_a_long_preview_shows_the_values_waiting_for_a_tick_first_and_counts_the_rest(
    world, setup, as_user, monkeypatch
):
    monkeypatch.setattr("core.imports.PREVIEW_ROWS", 2)
    client = as_user(world.coordinator)
    response = upload(client, setup.point, results_file())
    page = response.content.decode()
    rows = page[
        page.index('id="results-values"') : page.index(
            "</table>", page.index('id="results-values"')
        )
    ]
    # Of the three values: the approved one to replace, then the name match; the third counted.
    assert rows.count("<tr>") == 1 + 2
    assert f'name="replace" value="{setup.quality.pk}:{setup.by_inn.pk}"' in rows
    assert setup.by_name.short_name in rows and setup.by_code.short_name not in rows
    assert "…и ещё 1 знач." in page
    # The whole file is still what a confirmation writes.
    confirm(client, setup.point, response.context["token"])
    assert setup.by_code.short_name in values(setup.point)


def test_confirming_without_ticks_writes_neither_name_matches_nor_over_approved_values(
    world, setup, as_user
):
    client = as_user(world.coordinator)
    token = upload(client, setup.point, results_file()).context["token"]
    response = confirm(client, setup.point, token)
    assert response.url == setup.point.get_absolute_url()
    assert values(setup.point) == {
        "МБОУ «Русскинская СОШ»": Decimal("50.00"),
        "МБОУ «Угутская СОШ»": Decimal("70"),
    }
    setup.by_name.refresh_from_db()
    assert setup.by_name.results_code == ""
    written = Measurement.objects.get(organization=setup.by_code)
    assert (written.status, written.approved_by, written.entered_by) == (
        Measurement.Status.APPROVED,
        world.coordinator,
        None,
    )
    assert written.source == Measurement.Source.RESULTS
    assert written.source_detail == "ВПР: впр.xlsx"
    # The kept file is gone: a second confirmation goes to its import, writes nothing more.
    again = confirm(client, setup.point, token)
    assert again.status_code == 302 and Measurement.objects.count() == 2


def test_ticks_replace_the_approved_value_and_accept_the_name_match_history_keeps_both(
    world, setup, as_user
):
    client = as_user(world.coordinator)
    token = upload(client, setup.point, results_file()).context["token"]
    confirm(
        client,
        setup.point,
        token,
        replace=[f"{setup.quality.pk}:{setup.by_inn.pk}"],
        # Hostile ticks beside the real one («²» is a digit to Python, not a number): ignored.
        accept=["²", "1e309", "-1", str(setup.by_name.pk)],
    )
    assert values(setup.point) == {
        "МБОУ «Русскинская СОШ»": Decimal("50.00"),
        "МБОУ «Угутская СОШ»": Decimal("50.00"),
        "МБОУ «Ляминская СОШ»": Decimal("40.00"),
    }
    setup.by_name.refresh_from_db()
    assert setup.by_name.results_code == "LYAM01"
    setup.approved.refresh_from_db()
    assert setup.approved.approved_by == world.coordinator
    assert [h.value for h in setup.approved.history.order_by("history_date")] == [
        Decimal("70.00"),
        Decimal("50.00"),
    ]


def test_the_all_ticks_stand_for_every_box_of_their_kind(world, setup, as_user):
    # A second approved value, so that the preview offers to replace both at once.
    f.MeasurementFactory(
        indicator=setup.quality,
        point=setup.point,
        organization=setup.by_code,
        value=10,
        status="approved",
    )
    client = as_user(world.coordinator)
    shown = upload(client, setup.point, results_file())
    assert 'name="replace_all"' in shown.content.decode()
    confirm(client, setup.point, shown.context["token"], replace_all="1", accept_all="1")
    assert values(setup.point) == {
        "МБОУ «Русскинская СОШ»": Decimal("50.00"),
        "МБОУ «Угутская СОШ»": Decimal("50.00"),
        "МБОУ «Ляминская СОШ»": Decimal("40.00"),
    }


def test_an_error_on_confirm_leaves_nothing_written(world, setup, as_user, monkeypatch):
    client = as_user(world.coordinator)
    token = upload(client, setup.point, results_file()).context["token"]
    saved = []
    save = Measurement.save

    def failing(self, *args, **kwargs):
        if saved:
            raise RuntimeError("disk full")
        saved.append(self)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Measurement, "save", failing)
    with pytest.raises(RuntimeError):
        confirm(client, setup.point, token, accept=[str(setup.by_name.pk)])
    assert saved, "one value was written before the error"
    assert values(setup.point) == {"МБОУ «Угутская СОШ»": Decimal("70")}
    setup.by_name.refresh_from_db()
    assert setup.by_name.results_code == ""
    assert not ImportJob.objects.exists()


def test_rights_lost_before_confirming_leave_nothing_written(world, setup, as_user):
    client = as_user(world.coordinator)
    token = upload(client, setup.point, results_file()).context["token"]
    world.coordinator.memberships.update(role="staff")
    assert confirm(client, setup.point, token).status_code == 403
    assert values(setup.point) == {"МБОУ «Угутская СОШ»": Decimal("70")}


def test_a_point_locked_after_the_preview_takes_nothing(world, setup, as_user):
    client = as_user(world.coordinator)
    token = upload(client, setup.point, results_file()).context["token"]
    setup.point.locked = True
    setup.point.save()
    response = confirm(client, setup.point, token)
    assert response.url == reverse("monitoring:import_results", args=[setup.point.pk])
    assert values(setup.point) == {"МБОУ «Угутская СОШ»": Decimal("70")}
    assert "Точка мониторинга закрыта" in client.get(response.url).content.decode()


def test_a_csv_export_is_read_as_the_workbook(world, setup, as_user):
    text = "\n".join(";".join(str(c) for c in row) for row in [HEADER, *ROWS])
    response = upload(
        as_user(world.coordinator), setup.point, text.encode("cp1251"), name="впр.csv"
    )
    assert response.context["token"]
    assert len(response.context["plan"].plan.values) == 3


# --- Bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        (
            "впр.xls",
            b"\xd0\xcf\x11\xe0",
            "Нужна таблица Excel (.xlsx) или текстовая таблица (.csv).",
        ),
        ("впр.txt", b"abc", "Нужна таблица Excel (.xlsx) или текстовая таблица (.csv)."),
        ("впр.xlsx", b"", "Файл пуст."),
        ("впр.csv", b"", "Файл пуст."),
        ("впр.xlsx", xlsx([["Школа", "Итог"], ["МБОУ", 1]]), "Не найдена строка заголовков"),
        ("впр.csv", "Предмет;Класс;«2»\nРусский язык;5;1".encode(), "Нет столбца, который"),
        (
            "впр.xlsx",
            xlsx([["Наименование ОО", "Предмет", "Класс", "«2»", "«3»"], ["МБОУ", "Физика", 5]]),
            "Нет столбца с числом участников",
        ),
        (
            "впр.xlsx",
            xlsx([HEADER, ["sch861001", "", "", "=1+1", 5, 20, 2, 8, 8, 2]]),
            "формул",
        ),
    ],
    ids=[
        "xls",
        "txt",
        "empty-xlsx",
        "empty-csv",
        "no-header",
        "no-school",
        "no-participants",
        "formula",
    ],
)
def test_a_bad_file_is_refused_in_russian(world, setup, as_user, name, content, says):
    response = upload(as_user(world.coordinator), setup.point, content, name=name)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert response.context.get("token") is None


def test_a_table_of_unknown_subjects_offers_nothing_to_confirm(world, setup, as_user):
    content = xlsx([HEADER, ["sch861001", "", "", "Астрономия", 5, 20, 2, 8, 8, 2]])
    response = upload(as_user(world.coordinator), setup.point, content)
    page = response.content.decode()
    assert response.context["token"] is None
    assert "Астрономия" in page and "записывать нечего" in page


def test_a_program_without_indicators_from_results_says_so(world, setup, as_user):
    setup.approved.delete()
    setup.quality.delete()
    response = upload(as_user(world.coordinator), setup.point, results_file())
    assert "нет показателей из результатов оценочных процедур" in response.content.decode()


@pytest.mark.parametrize("hostile", import_corpus(tuple(HEADER)), ids=lambda h: h.name)
def test_the_hostile_workbook_is_refused(world, setup, as_user, media_root, hostile):
    client = as_user(world.coordinator)
    before = saved_rows()
    response, peak, elapsed = measured(
        lambda: upload(client, setup.point, hostile.content, name=hostile.name)
    )
    assert_refused(response, hostile, peak, elapsed, media_root, before)
    assert response.context.get("token") is None


# --- In the background -------------------------------------------------------------------------


def test_a_large_file_is_written_by_the_worker_with_the_ticks(
    world, setup, as_user, settings, task_backend, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 1
    client = as_user(world.coordinator)
    shown = upload(client, setup.point, results_file())
    assert "будет записан в фоне" in shown.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(
            client, setup.point, shown.context["token"], accept=[str(setup.by_name.pk)]
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("monitoring:import_results_job", args=[setup.point.pk, job.pk])
    assert (job.kind, job.rows, job.requested_by) == ("results", 3, world.coordinator)
    assert values(setup.point) == {"МБОУ «Угутская СОШ»": Decimal("70")}
    assert "Файл загружается" in client.get(response.url).content.decode()
    # Someone else's page of it is not found.
    assert as_user(world.region_coordinator).get(response.url).status_code == 404

    task_backend()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY, job.error
    assert job.summary == {"written": 2}
    assert values(setup.point) == {
        "МБОУ «Русскинская СОШ»": Decimal("50.00"),
        "МБОУ «Угутская СОШ»": Decimal("70"),  # not ticked: stays
        "МБОУ «Ляминская СОШ»": Decimal("40.00"),
    }
    assert Organization.objects.get(pk=setup.by_name.pk).results_code == "LYAM01"
    written = Measurement.objects.get(organization=setup.by_code)
    assert written.approved_by == world.coordinator
    assert "записано значений — 2" in client.get(response.url).content.decode()


def test_the_worker_writes_nothing_for_someone_who_lost_the_right(
    world, setup, as_user, settings, task_backend, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 1
    client = as_user(world.coordinator)
    token = upload(client, setup.point, results_file()).context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, setup.point, token)
    world.coordinator.memberships.update(role="staff")
    task_backend()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "Ничего не сохранено" in job.error
    assert values(setup.point) == {"МБОУ «Угутская СОШ»": Decimal("70")}
