"""Reporting progress on a roadmap item: status, text and several evidence files; the item's
status and completion date follow; bad input and stale forms are refused with nothing stored;
the item's page shows its reports, evidence and history."""

import datetime

import pytest

from roadmaps.models import Evidence, ItemReport, RoadmapItem
from tests.scene import DOCX, PDF, PNG, stored_files, upload

pytestmark = pytest.mark.django_db


def report(client, item, revision=None, **fields):
    data = {
        "status": RoadmapItem.Status.IN_PROGRESS,
        "text": "Проведён педагогический совет, утверждена рабочая группа",
        "completed_on": "",
        "revision": item.revision if revision is None else revision,
    }
    data.update(fields)
    return client.post(item.get_absolute_url(), data)


def test_a_report_with_several_files_sets_the_status(scene, world, as_user, media_root):
    item = scene.inside.item
    files = [upload("протокол.pdf", PDF), upload("фото.png", PNG), upload("план.docx", DOCX)]
    response = report(as_user(world.school), item, status=RoadmapItem.Status.DONE, files=files)
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    item.refresh_from_db()
    assert item.status == RoadmapItem.Status.DONE
    assert item.completed_on == item.roadmap.program.local_today()  # the region's date
    new = ItemReport.objects.filter(item=item).exclude(pk=scene.inside.report.pk).get()
    assert (new.author, new.organization, new.status) == (
        world.school,
        world.supported_school,
        RoadmapItem.Status.DONE,
    )
    names = sorted(new.evidence.values_list("original_name", flat=True))
    assert names == ["план.docx", "протокол.pdf", "фото.png"]
    for evidence in new.evidence.all():
        assert evidence.file.name in stored_files(media_root)


def test_a_completion_date_may_be_given_for_a_done_item(scene, world, as_user):
    item = scene.inside.item
    day = scene.today - datetime.timedelta(days=2)
    report(as_user(world.curator), item, status="done", completed_on=day.isoformat())
    item.refresh_from_db()
    assert item.completed_on == day


def test_an_item_reopened_forgets_its_completion_date(scene, world, as_user):
    item = scene.inside.item
    client = as_user(world.school)
    report(client, item, status="done")
    item.refresh_from_db()
    report(client, item, status="in_progress")
    item.refresh_from_db()
    assert (item.status, item.completed_on) == ("in_progress", None)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": ""}, "text", "Опишите, что сделано."),
        ({"status": "finished"}, "status", "Выберите корректный вариант."),
        (
            {"status": "in_progress", "completed_on": "2023-05-01"},
            "completed_on",
            "только для выполненного мероприятия",
        ),
        (
            {"status": "done", "completed_on": "2999-01-01"},
            "completed_on",
            "не может быть в будущем",
        ),
        (
            {"status": "done", "completed_on": "31.02.2023"},
            "completed_on",
            "Введите правильную дату.",
        ),
        (
            {"files": [upload("протокол.pdf", PDF), upload("вирус.exe", PDF)]},
            "files",
            "«вирус.exe» не принят",
        ),
        ({"files": [upload("фото.png", PDF)]}, "files", "не соответствует формату .png"),
    ],
    ids=["no text", "status", "date not done", "future", "bad date", "exe", "content"],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_stored(
    scene, world, as_user, media_root, fields, field, message
):
    item = scene.inside.item
    before_files = stored_files(media_root)
    reports, evidence = ItemReport.objects.count(), Evidence.objects.count()
    response = report(as_user(world.school), item, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.status == RoadmapItem.Status.PLANNED and item.revision == 1
    assert (ItemReport.objects.count(), Evidence.objects.count()) == (reports, evidence)
    assert stored_files(media_root) == before_files


def test_a_report_over_a_newer_change_is_refused_keeping_what_was_typed(
    scene, world, as_user, media_root
):
    item = scene.inside.item
    seen = item.revision
    report(as_user(world.coordinator), item, status="not_done", text="Сорвано")
    before_files = stored_files(media_root)
    response = report(
        as_user(world.school),
        item,
        revision=seen,
        status="done",
        text="Всё сделали вовремя",
        files=[upload("протокол.pdf", PDF)],
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "эти данные изменил другой пользователь" in page
    assert "Всё сделали вовремя" in page
    item.refresh_from_db()
    assert item.status == "not_done"
    assert not ItemReport.objects.filter(text="Всё сделали вовремя").exists()
    assert stored_files(media_root) == before_files
    # Sent again from the refreshed form, it goes through: a deliberate overwrite.
    assert response.context["form"]["revision"].value() == item.revision
    again = report(as_user(world.school), item, status="done", text="Всё сделали вовремя")
    assert again.status_code == 302


def test_the_item_page_shows_reports_evidence_and_who_changed_the_status(scene, world, as_user):
    item = scene.inside.item
    report(as_user(world.school), item, status="in_progress", files=[upload("акт.pdf", PDF)])
    item.refresh_from_db()
    report(as_user(world.coordinator), item, status="done", text="Принято")
    page = as_user(world.curator).get(item.get_absolute_url()).content.decode()
    assert "акт.pdf" in page and "Принято" in page
    history = page[page.index("История изменений") :]
    assert "запланировано → <strong>выполняется</strong>" in history
    assert "выполняется → <strong>выполнено</strong>" in history
    assert history.count("Ирина Петрова") >= 2


def test_evidence_is_downloaded_through_the_item_access(scene, world, as_user):
    url = f"/roadmaps/evidence/{scene.inside.evidence.pk}/"
    response = as_user(world.curator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert as_user(world.outsider).get(url).status_code == 404


def test_a_late_item_is_marked_late_on_its_page_until_done(scene, world, as_user):
    item = scene.inside.late_item
    client = as_user(world.school)
    page = client.get(item.get_absolute_url()).content.decode()
    status = page[page.index('id="item-status"') :]
    assert "просрочено" in status[: status.index("</dd>")]
    report(client, item, status="done")
    page = client.get(item.get_absolute_url()).content.decode()
    status = page[page.index('id="item-status"') :]
    assert "просрочено" not in status[: status.index("</dd>")]


def test_people_who_may_not_report_see_no_form(scene, world, as_user):
    from tests import factories as f

    not_theirs = f.RoadmapItemFactory(roadmap=scene.inside.roadmap)
    assert as_user(world.school).get(not_theirs.get_absolute_url()).context["form"] is None
    assert as_user(world.coordinator).get(not_theirs.get_absolute_url()).context["form"]
