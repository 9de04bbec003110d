"""Every hostile file of the corpus (tests/hostile.py), fed to every upload and import of the
portal: each is refused with its reason in Russian, nothing is saved, and the refusal costs
under 50 MB of memory and under 2 seconds."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.imports import FIXED, indicator_header
from monitoring.models import Indicator, Measurement
from programs.models import Agreement, Curator, DocumentVersion
from roadmaps.models import Evidence, ItemReport, RoadmapItem
from schools.imports import COLUMNS
from schools.models import Organization
from tests import factories as f
from tests.hostile import import_corpus, upload_corpus
from tests.scene import stored_files

pytestmark = pytest.mark.django_db

MEMORY_BUDGET = 50 * 1024 * 1024
TIME_BUDGET = 2.0


def measured(send):
    """The response of `send()`, its peak of Python memory in bytes and its CPU seconds. It is sent
    three times (a refused file changes nothing): once to warm up (templates compile on the
    first page), once timed, once traced by tracemalloc, which slows everything it watches.
    The time is the CPU time of this process, which other work on a shared machine does not
    inflate."""
    send()
    started = time.process_time()
    send()
    elapsed = time.process_time() - started
    tracemalloc.start()
    try:
        response = send()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak, elapsed


def saved_rows():
    return (
        Evidence.objects.count(),
        ItemReport.objects.count(),
        DocumentVersion.objects.count(),
        Agreement.objects.count(),
        Organization.objects.count(),
        Measurement.objects.count(),
    )


def assert_refused(response, hostile, peak, elapsed, media_root, before):
    page = response.content.decode()
    assert response.status_code == 200
    assert hostile.says in page, page[:3000]
    assert saved_rows() == before
    assert peak < MEMORY_BUDGET, f"{hostile.name}: {peak / 2**20:.1f} MB"
    assert elapsed < TIME_BUDGET, f"{hostile.name}: {elapsed:.2f} s"


# --- Uploads -----------------------------------------------------------------------------------


def evidence_post(scene, world, as_user):
    client, item = as_user(world.school), scene.inside.item

    def send(file):
        return client.post(
            item.get_absolute_url(),
            {"status": item.status, "text": "Отчёт", "revision": item.revision, "files": [file]},
        )

    return send


def document_post(scene, world, as_user):
    client, document = as_user(world.school), scene.inside.document

    def send(file):
        return client.post(
            reverse("programs:document_upload", args=[document.pk]),
            {"file": file, "comment": "новая версия", "revision": document.revision},
        )

    return send


def agreement_post(scene, world, as_user):
    client = as_user(world.coordinator)
    curator = Curator.objects.get(pair=world.pair)
    data = {
        "curators-TOTAL_FORMS": "1",
        "curators-INITIAL_FORMS": "1",
        "curators-MIN_NUM_FORMS": "0",
        "curators-MAX_NUM_FORMS": "1000",
        "curators-0-id": str(curator.pk),
        "curators-0-organization": str(curator.organization_id),
        "curators-0-user": str(curator.user_id),
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
        "agreements-0-number": "1",
        "agreements-0-signed_on": "2023-02-01",
    }

    def send(file):
        return client.post(
            reverse("programs:setup_pair", args=[world.pair.pk]),
            {**data, "agreements-0-file": file},
        )

    return send


UPLOADS = {"evidence": evidence_post, "document": document_post, "agreement": agreement_post}


@pytest.mark.parametrize("hostile", upload_corpus(), ids=lambda h: h.name)
@pytest.mark.parametrize("upload", UPLOADS)
def test_every_upload_refuses_the_hostile_file(scene, world, as_user, media_root, upload, hostile):
    send = UPLOADS[upload](scene, world, as_user)
    files_before = stored_files(media_root)
    before = saved_rows()
    response, peak, elapsed = measured(
        lambda: send(SimpleUploadedFile(hostile.name, hostile.content))
    )
    assert_refused(response, hostile, peak, elapsed, media_root, before)
    assert stored_files(media_root) == files_before


# --- Imports -----------------------------------------------------------------------------------


@pytest.fixture
def point(world):
    f.IndicatorFactory(program=world.program, code="1", title="Доля «2» по математике")
    return f.MonitoringPointFactory(program=world.program, title="Май")


def values_header(world):
    indicator = Indicator.objects.get(program=world.program, code="1")
    return tuple(c.header for c in FIXED) + (indicator_header(indicator),)


def schools_post(world, as_user, point):
    client = as_user(world.coordinator)

    def send(file):
        return client.post(reverse("schools:import"), {"region": world.region.pk, "file": file})

    return send, tuple(c.header for c in COLUMNS)


def values_post(world, as_user, point):
    client = as_user(world.coordinator)

    def send(file):
        return client.post(
            reverse("monitoring:import_values", args=[world.program.pk]),
            {"point": point.pk, "file": file},
        )

    return send, values_header(world)


IMPORTS = {"schools": schools_post, "values": values_post}
# The corpus is built per import (its header row); ids are the file names, the same for both.
CORPUS_NAMES = [h.name for h in import_corpus(tuple(c.header for c in COLUMNS))]


@pytest.mark.parametrize("name", CORPUS_NAMES)
@pytest.mark.parametrize("kind", IMPORTS)
def test_every_import_refuses_the_hostile_workbook(world, as_user, point, media_root, kind, name):
    send, header = IMPORTS[kind](world, as_user, point)
    hostile = next(h for h in import_corpus(header) if h.name == name)
    before = saved_rows()
    response, peak, elapsed = measured(
        lambda: send(SimpleUploadedFile(hostile.name, hostile.content))
    )
    assert_refused(response, hostile, peak, elapsed, media_root, before)
    assert "token" not in response.context or response.context["token"] is None


# --- The roadmap import from an order ----------------------------------------------------------

# Of the upload corpus, the files a plan can come in.
PLAN_FILES = [h for h in upload_corpus() if h.name.endswith((".docx", ".xlsx"))]


@pytest.mark.parametrize("hostile", PLAN_FILES, ids=lambda h: h.name)
def test_the_roadmap_import_refuses_the_hostile_file(world, as_user, media_root, hostile):
    roadmap = f.RoadmapFactory(program=world.program, title="План мероприятий")
    client = as_user(world.coordinator)
    url = reverse("roadmaps:import", args=[world.program.pk])
    items = RoadmapItem.objects.count()
    before = saved_rows()
    response, peak, elapsed = measured(
        lambda: client.post(
            url, {"roadmap": roadmap.pk, "file": SimpleUploadedFile(hostile.name, hostile.content)}
        )
    )
    assert_refused(response, hostile, peak, elapsed, media_root, before)
    assert RoadmapItem.objects.count() == items
    assert response.context.get("token") is None


def test_a_plan_within_the_upload_bound_but_past_the_plans_is_refused_by_its_directory(
    world, as_user
):
    # 3,000 parts pass the upload check (5,000) but no plan has that many: the import's own
    # bound reads the directory and refuses before python-docx opens anything.
    from tests.hostile import _package

    many = _package(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}
        | {f"word/media/{n}.xml": "" for n in range(3000)}
    )
    roadmap = f.RoadmapFactory(program=world.program, title="План мероприятий")
    response = as_user(world.coordinator).post(
        reverse("roadmaps:import", args=[world.program.pk]),
        {"roadmap": roadmap.pk, "file": SimpleUploadedFile("план.docx", many)},
    )
    assert "частей" in response.content.decode()
    assert response.context.get("token") is None
