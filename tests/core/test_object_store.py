"""Files on an S3-compatible store (MEDIA_STORAGE=s3, django-storages) against a real SeaweedFS
started by the tests: every file goes to the bucket and none to MEDIA_ROOT, leaves only through
the views that check access (streamed, with the download headers), the admin's links work, and
`move_files_to_store` moves the folder's files under the same names."""

import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from reports.models import ReportFile
from tests import factories as f
from tests import seaweed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """One server and one bucket for the session (SeaweedFS gives each bucket volumes of its
    own); each test keeps its files under a prefix of its own."""
    try:
        server = seaweed.start(tmp_path_factory.mktemp("seaweedfs"))
        client = seaweed.create_bucket(server.endpoint, "portal-tests")
    except RuntimeError as error:
        pytest.fail(str(error))
    yield server, client
    server.stop()


@pytest.fixture
def bucket(seaweedfs, settings, media_root):
    """The bucket, under a prefix of this test's own, as the default storage."""
    from botocore.config import Config

    server, client = seaweedfs
    name = "portal-tests"
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    settings.AWS_LOCATION = prefix
    settings.MEDIA_STORAGE = "s3"
    settings.AWS_S3_ENDPOINT_URL = server.endpoint
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_ACCESS_KEY_ID = "portal"
    settings.AWS_SECRET_ACCESS_KEY = "portal-secret"
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_CLIENT_CONFIG = Config(
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": "path"},
        signature_version="s3v4",
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    return client, name, prefix


def keys(bucket):
    """The names stored under this test's prefix, as the storage names them."""
    client, name, prefix = bucket
    listed = client.list_objects_v2(Bucket=name, Prefix=f"{prefix}/").get("Contents", [])
    return {entry["Key"].removeprefix(f"{prefix}/") for entry in listed}


def folder_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_report_file_goes_to_the_bucket_and_is_streamed_by_the_access_checking_view(
    world, as_user, bucket, media_root
):
    report_file = ReportFile.objects.create(
        kind="passport", subject_id=world.program.pk, fmt="pdf", requested_by=world.coordinator
    )
    report_file.store("Паспорт", "паспорт", b"%PDF-1.7 content")
    assert report_file.file.name in keys(bucket)
    assert folder_files(media_root) == []

    response = as_user(world.coordinator).get(
        reverse("reports:file_download", args=[report_file.pk])
    )
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == b"%PDF-1.7 content"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert "Location" not in response
    # Someone else's file stays out of reach, wherever it is kept.
    other = as_user(world.people["outsider"]).get(
        reverse("reports:file_download", args=[report_file.pk])
    )
    assert other.status_code == 404


def test_a_row_naming_a_file_missing_from_the_bucket_is_a_404(world, as_user, bucket):
    report_file = ReportFile.objects.create(
        kind="passport", subject_id=world.program.pk, fmt="pdf", requested_by=world.coordinator
    )
    report_file.store("Паспорт", "паспорт", b"%PDF")
    client, name, prefix = bucket
    client.delete_object(Bucket=name, Key=f"{prefix}/{report_file.file.name}")
    response = as_user(world.coordinator).get(
        reverse("reports:file_download", args=[report_file.pk])
    )
    assert response.status_code == 404


def test_evidence_uploaded_to_the_bucket_is_downloaded_through_its_view(
    world, as_user, bucket, media_root
):
    from roadmaps.models import Evidence, ItemReport, Roadmap

    item = f.RoadmapItemFactory(
        roadmap=f.RoadmapFactory(program=world.program, level=Roadmap.Level.PROGRAM)
    )
    report = ItemReport.objects.create(
        item=item, organization=world.supported_school, status="done"
    )
    evidence = Evidence(report=report, original_name="акт.pdf", size=14)
    evidence.file.save("акт.pdf", ContentFile(b"evidence bytes"), save=True)
    assert evidence.file.name in keys(bucket)
    assert folder_files(media_root) == []
    url = reverse("roadmaps:evidence", args=[evidence.pk])
    response = as_user(world.school).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"evidence bytes"
    assert as_user(world.people["outsider"]).get(url).status_code == 404


def test_the_admins_file_links_work_with_the_store(admin_client, bucket):
    from django.core.files.storage import default_storage

    name = default_storage.save("documents/2026/приказ.docx", ContentFile(b"docx"))
    response = admin_client.get(f"/files/{name}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"docx"
    assert admin_client.get("/files/../secret").status_code == 404


def test_move_files_to_store_moves_the_folder_under_the_same_names(
    world, bucket, media_root, settings
):
    report_file = ReportFile.objects.create(
        kind="passport", subject_id=world.program.pk, fmt="pdf", requested_by=world.coordinator
    )
    name = f"reports/2026/01/{report_file.pk}/паспорт.pdf"
    (media_root / name).parent.mkdir(parents=True)
    (media_root / name).write_bytes(b"%PDF old")
    ReportFile.objects.filter(pk=report_file.pk).update(file=name)
    lost = ReportFile.objects.create(
        kind="passport", subject_id=world.program.pk, fmt="pdf", requested_by=world.coordinator
    )
    ReportFile.objects.filter(pk=lost.pk).update(file="reports/lost.pdf")

    out, err = io.StringIO(), io.StringIO()
    call_command("move_files_to_store", stdout=out, stderr=err)
    assert "Перенесено: 1; уже в хранилище: 0; нет в папке: 1." in out.getvalue()
    assert "reports/lost.pdf" in err.getvalue()
    assert name in keys(bucket)
    client, bucket_name, prefix = bucket
    stored = client.get_object(Bucket=bucket_name, Key=f"{prefix}/{name}")
    assert stored["Body"].read() == b"%PDF old"

    again = io.StringIO()
    call_command("move_files_to_store", stdout=again, stderr=io.StringIO())
    assert "Перенесено: 0; уже в хранилище: 1" in again.getvalue()


def test_the_health_probe_writes_to_the_store(client, bucket):
    response = client.get("/health/")
    assert response.status_code == 200, response.content
