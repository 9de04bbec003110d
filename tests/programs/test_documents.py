"""A school's documents: uploaded with their versions kept, checked on the way in, sent for
review, approved or returned, served only through a view that checks access."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from programs.models import Document, DocumentVersion, Review
from tests import factories as f
from tests.scene import PDF, stored_files, upload

pytestmark = pytest.mark.django_db


def create_url(world):
    return reverse("programs:document_create", args=[world.supported_school.pk])


def new_document(world, **overrides):
    data = {
        "program": world.program.pk,
        "kind": Document.Kind.MEDIUM_TERM_PROGRAM,
        "title": "Среднесрочная программа развития 2023–2025",
        "file": upload("ССП.pdf"),
        "comment": "",
    }
    data.update(overrides)
    return data


def test_a_school_uploads_a_document_with_its_first_version(world, as_user, media_root):
    response = as_user(world.school).post(create_url(world), new_document(world))
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == document.get_absolute_url()
    assert (document.organization, document.status, document.version) == (
        world.supported_school,
        Document.Status.DRAFT,
        1,
    )
    version = document.versions.get()
    assert version.original_name == "ССП.pdf" and version.uploaded_by == world.school
    assert document.file.name == version.file.name
    assert stored_files(media_root) == [version.file.name]


def assert_refused(response, field, message, media_root):
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert not media_root.exists() or stored_files(media_root) == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"file": upload("программа.exe", PDF)}, "file", "допустимы только файлы PDF"),
        ({"file": upload("программа.pdf", b"MZ\x90 binary")}, "file", "не соответствует формату"),
        ({"file": upload("программа.pdf", b"")}, "file", "пуст"),
        ({"file": ""}, "file", "Обязательное поле."),
        ({"title": ""}, "title", "Обязательное поле."),
        ({"kind": "anti_risk_program"}, "risk_factor", "Укажите фактор риска"),
        ({"kind": "order"}, "kind", "Выберите корректный вариант"),
        ({"program": 999999}, "program", "Выберите корректный вариант"),
    ],
    ids=["extension", "content", "empty", "no file", "no title", "no factor", "kind", "program"],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_stored(
    world, as_user, media_root, overrides, field, message
):
    response = as_user(world.school).post(create_url(world), new_document(world, **overrides))
    assert_refused(response, field, message, media_root)


def test_a_file_over_the_size_limit_is_refused(world, as_user, media_root, settings):
    settings.MAX_UPLOAD_MB = 1
    big = upload("программа.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = as_user(world.school).post(create_url(world), new_document(world, file=big))
    assert_refused(response, "file", "допустимо не больше 1 МБ", media_root)


def test_a_risk_factor_is_only_for_an_anti_risk_program(world, as_user, media_root, factors):
    client = as_user(world.school)
    response = client.post(create_url(world), new_document(world, risk_factor=factors[0].pk))
    assert_refused(response, "risk_factor", "только у антирисковой программы", media_root)
    ok = client.post(
        create_url(world),
        new_document(world, kind=Document.Kind.ANTI_RISK_PROGRAM, risk_factor=factors[0].pk),
    )
    assert ok.status_code == 302
    assert Document.objects.get().risk_factor == factors[0]


def test_only_programs_the_school_takes_part_in_are_offered(world, as_user):
    f.ProgramFactory(owner=world.authority, short_title="Чужая программа")
    form = as_user(world.school).get(create_url(world)).context["form"]
    assert list(form.fields["program"].queryset) == [world.program]


@pytest.fixture
def document(scene):
    return scene.inside.document


def upload_version(client, document, name="ССП-2.pdf", content=PDF + b"v2", revision=None):
    return client.post(
        reverse("programs:document_upload", args=[document.pk]),
        {
            "file": upload(name, content),
            "comment": "учтены замечания",
            "revision": document.revision if revision is None else revision,
        },
    )


def test_a_new_version_becomes_current_and_earlier_ones_are_kept(document, world, as_user):
    client = as_user(world.school)
    assert upload_version(client, document).status_code == 302
    document.refresh_from_db()
    assert document.version == 2
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    current = client.get(reverse("programs:document_file", args=[document.pk]))
    assert b"".join(current.streaming_content) == PDF + b"v2"
    assert current["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('ССП-2.pdf')}"
    first = document.versions.get(number=1)
    old = client.get(reverse("programs:version_file", args=[first.pk]))
    assert b"".join(old.streaming_content) == PDF


def test_a_version_sent_over_a_newer_one_is_refused_and_leaves_no_file(
    document, world, as_user, media_root
):
    seen = document.revision
    as_user(world.coordinator).post(
        reverse("programs:document_submit", args=[document.pk]), {"revision": seen}
    )
    Document.objects.filter(pk=document.pk).update(status=Document.Status.DRAFT)
    before = stored_files(media_root)
    response = upload_version(as_user(world.school), document, revision=seen)
    assert response.status_code == 200
    page = response.content.decode()
    assert "эти данные изменил другой пользователь" in page
    assert "учтены замечания" in page
    document.refresh_from_db()
    assert document.version == 1 and document.versions.count() == 1
    assert stored_files(media_root) == before


def test_a_wrong_file_for_a_new_version_is_refused(document, world, as_user, media_root):
    before = stored_files(media_root)
    response = upload_version(as_user(world.school), document, name="ССП.docx", content=PDF)
    assert response.status_code == 200
    assert "не соответствует формату .docx" in response.content.decode()
    assert document.versions.count() == 1
    assert stored_files(media_root) == before


def submit(client, document):
    document.refresh_from_db()
    return client.post(
        reverse("programs:document_submit", args=[document.pk]), {"revision": document.revision}
    )


def review(client, document, verdict, comment=""):
    document.refresh_from_db()
    return client.post(
        reverse("programs:document_review", args=[document.pk]),
        {"verdict": verdict, "comment": comment, "revision": document.revision},
    )


def test_submitted_document_is_approved_by_the_coordinator(document, world, as_user):
    assert submit(as_user(world.school), document).status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED
    # Under review the school cannot swap the file.
    refused = upload_version(as_user(world.school), document)
    assert "Документ на проверке" in refused.content.decode()
    assert document.versions.count() == 1

    assert review(as_user(world.coordinator), document, "approve").status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.APPROVED
    verdict = Review.objects.get(document=document)
    assert (verdict.reviewer, verdict.verdict) == (world.coordinator, Review.Verdict.APPROVED)
    # A new version of an approved document needs a new review.
    upload_version(as_user(world.school), document)
    document.refresh_from_db()
    assert document.status == Document.Status.DRAFT


def test_returning_a_document_needs_a_comment(document, world, as_user):
    submit(as_user(world.school), document)
    client = as_user(world.coordinator)
    refused = review(client, document, "return")
    assert refused.status_code == 200
    assert "Напишите, что нужно доработать." in refused.content.decode()
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED
    assert not Review.objects.exists()

    review(client, document, "return", "Нет мероприятий по фактору риска 3")
    document.refresh_from_db()
    assert document.status == Document.Status.NEEDS_REVISION
    assert Review.objects.get().comment == "Нет мероприятий по фактору риска 3"
    page = as_user(world.school).get(document.get_absolute_url()).content.decode()
    assert "Нет мероприятий по фактору риска 3" in page


def test_an_assigned_expert_sees_and_reviews_only_their_document(document, world, as_user):
    expert = f.UserFactory(username="expert")
    Review.objects.create(document=document, reviewer=expert)
    other = f.DocumentFactory(program=world.program, organization=world.supported_school)
    submit(as_user(world.school), document)
    client = as_user(expert)
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert review(client, document, "approve").status_code == 302
    assert Review.objects.get(reviewer=expert).verdict == Review.Verdict.APPROVED


def test_a_document_without_a_file_cannot_be_submitted(world, as_user):
    empty = f.DocumentFactory(program=world.program, organization=world.supported_school)
    response = submit(as_user(world.school), empty)
    assert response.status_code == 302
    empty.refresh_from_db()
    assert empty.status == Document.Status.DRAFT


def test_the_page_shows_who_changed_the_status_and_when(document, world, as_user):
    submit(as_user(world.school), document)
    review(as_user(world.coordinator), document, "return", "Доработать")
    page = as_user(world.school).get(document.get_absolute_url()).content.decode()
    history = page[page.index("История изменений") :]
    assert "на проверке → <strong>на доработке</strong>" in history
    assert "черновик → <strong>на проверке</strong>" in history
    assert "Ирина Петрова" in history


def test_uploaded_files_have_no_public_address(document, client, world, as_user):
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/media/" + document.file.name)
    # The admin's file route answers superusers only: not even the school that owns the file.
    assert client.get("/files/" + document.file.name).status_code == 302
    assert as_user(world.school).get("/files/" + document.file.name).status_code == 404
    assert as_user(world.coordinator).get("/files/" + document.file.name).status_code == 404


def test_a_verdict_must_be_chosen(document, world, as_user):
    submit(as_user(world.school), document)
    response = review(as_user(world.coordinator), document, "")
    assert response.status_code == 200
    assert response.context["review_form"].errors["verdict"] == ["Выберите решение."]
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED


def test_a_form_without_its_revision_is_refused_as_outdated(document, world, as_user):
    response = as_user(world.school).post(
        reverse("programs:document_submit", args=[document.pk]), {}
    )
    assert response.status_code == 200
    assert "Форма устарела: откройте страницу заново." in response.content.decode()
    document.refresh_from_db()
    assert document.status == Document.Status.DRAFT
