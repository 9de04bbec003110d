"""The reviewer's checklist and verdict, the consolidated result the school sees, and a new
version reviewed against the previous one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from expertise import services
from expertise.models import Assignment
from programs import services as document_services
from programs.models import Document

from .. import factories as f

PASSED, REVISION = Assignment.Verdict.PASSED, Assignment.Verdict.REVISION


@pytest.fixture
def sheets(review_world):
    w = review_world.world
    peer = services.assign(
        review_world.document,
        review_world.peer,
        role=Assignment.Role.MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
    )
    curator = services.assign(
        review_world.document,
        w.curator,
        role=Assignment.Role.CURATOR,
        round=review_world.round,
        organization=w.curator_school,
    )
    return peer, curator


def _post(client, sheet, verdict, points, comment="Замечания учтены"):
    data = {"verdict": verdict, "comment": comment}
    for score, value in zip(sheet.scores.all(), points, strict=True):
        data[f"score_{score.criterion_id}"] = value
        data[f"remark_{score.criterion_id}"] = ""
    return client.post(reverse("expertise:sheet", args=[sheet.pk]), data)


def test_a_score_above_the_criterions_maximum_is_refused_and_nothing_saved(
    sheets, review_world, as_user
):
    peer_sheet, _ = sheets
    response = _post(as_user(review_world.peer), peer_sheet, PASSED, [3, 3, 3, 9])
    assert response.status_code == 200
    assert "Балл не может быть больше 3." in response.content.decode()
    peer_sheet.refresh_from_db()
    assert peer_sheet.verdict == Assignment.Verdict.PENDING


def test_the_document_waits_for_every_sheet_and_any_revision_returns_it(
    sheets, review_world, as_user
):
    peer_sheet, curator_sheet = sheets
    w = review_world.world
    assert _post(as_user(review_world.peer), peer_sheet, PASSED, [3, 2, 3, 3]).status_code == 302
    review_world.document.refresh_from_db()
    assert review_world.document.status == Document.Status.SUBMITTED
    _post(as_user(w.curator), curator_sheet, REVISION, [1, 2, 1, 2], "Нет показателей")
    review_world.document.refresh_from_db()
    assert review_world.document.status == Document.Status.NEEDS_REVISION
    # The school sees the consolidated result, with roles and comments but no names.
    page = as_user(w.school).get(review_world.document.get_absolute_url()).content.decode()
    assert "на доработку" in page and "Нет показателей" in page
    assert "решений 2 из 2" in page
    assert "2,0" in page  # the average of 3 and 1 on the first criterion


def test_all_passed_approves_the_document(sheets, review_world):
    for sheet in sheets:
        services.decide(
            sheet,
            scores={s.criterion_id: (3, "") for s in sheet.scores.all()},
            verdict=PASSED,
            comment="Соответствует",
        )
    review_world.document.refresh_from_db()
    assert review_world.document.status == Document.Status.APPROVED


def test_only_the_assigned_reviewer_fills_the_sheet(sheets, review_world, as_user):
    peer_sheet, _ = sheets
    w = review_world.world
    assert _post(as_user(w.school), peer_sheet, PASSED, [3, 3, 3, 3]).status_code == 403
    assert _post(as_user(w.outsider), peer_sheet, PASSED, [3, 3, 3, 3]).status_code == 404
    assert as_user(w.school).get(peer_sheet.get_absolute_url()).status_code == 200


def test_a_new_version_is_reviewed_against_the_previous_one(sheets, review_world, as_user):
    w = review_world.world
    document = review_world.document
    for sheet, points in zip(sheets, ([2, 2, 2, 2], [1, 1, 1, 1]), strict=True):
        services.decide(
            sheet,
            scores={
                s.criterion_id: (p, "") for s, p in zip(sheet.scores.all(), points, strict=True)
            },
            verdict=REVISION,
            comment="Доработать показатели",
        )
    document.refresh_from_db()
    upload = SimpleUploadedFile("v2.pdf", b"%PDF-1.4 new", content_type="application/pdf")
    document_services.add_version(document, w.school, upload, comment="Добавлены показатели")
    document.refresh_from_db()
    document_services.submit_document(document, w.school, seen_revision=document.revision)
    document.refresh_from_db()
    again = services.assign(
        document,
        review_world.peer,
        role=Assignment.Role.MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
    )
    assert again.version == document.version == 2
    services.decide(
        again,
        scores={s.criterion_id: (3, "") for s in again.scores.all()},
        verdict=PASSED,
        comment="Исправлено",
    )
    page = as_user(w.coordinator).get(reverse("expertise:changes", args=[document.pk]))
    text = page.content.decode()
    assert "Доработать показатели" in text  # the remarks the new version answers
    assert "+1,5" in text  # 1.5 → 3.0 on each criterion
    assert "Добавлены показатели" in text


def test_text_changes_of_two_docx_versions(db):
    import io
    import zipfile

    from expertise.results import text_changes

    def docx(paragraphs):
        body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
        xml = (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("word/document.xml", xml)
        return SimpleUploadedFile("p.docx", buffer.getvalue())

    document = f.DocumentFactory()
    old = document.versions.create(
        number=1, file=docx(["Цель", "Старая мера"]), original_name="a.docx"
    )
    new = document.versions.create(
        number=2, file=docx(["Цель", "Новая мера"]), original_name="b.docx"
    )
    assert text_changes(old, new) == [("-", "Старая мера"), ("+", "Новая мера")]


def test_a_reviewer_with_a_sheet_decides_through_it_not_for_the_whole_document(
    sheets, review_world, as_user
):
    peer_sheet, _ = sheets
    document = review_world.document
    assert not Document.objects.reviewable_by(review_world.peer).contains(document)
    page = as_user(review_world.peer).get(document.get_absolute_url()).content.decode()
    assert 'id="review-form"' not in page and "Заполнить экспертный лист" in page
    response = as_user(review_world.peer).post(
        reverse("programs:document_review", args=[document.pk]), {"verdict": "approve"}
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == Document.Status.SUBMITTED
    # The coordinator still decides directly.
    assert Document.objects.reviewable_by(review_world.world.coordinator).contains(document)
