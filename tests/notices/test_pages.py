"""The bell, the list, e-mail choices: each person reads and marks only their own notices."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from notices.models import EmailOptOut, Kind, Notification

pytestmark = pytest.mark.django_db


def notice(user, title="Приглашение: Семинар", url="/programs/"):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.EVENT_INVITATION,
        content_type=ContentType.objects.get_for_model(user),
        object_id=user.pk,
        occasion=title,
        title=title,
        url=url,
    )


def test_the_bell_counts_the_persons_unread_notices(people, as_user):
    notice(people.school)
    notice(people.school, title="Второе")
    notice(people.curator)
    response = as_user(people.school).get("/notices/bell/")
    assert response.context["count"] == 2
    assert 'id="unread-count"' in response.content.decode()
    assert as_user(people.outsider).get("/notices/bell/").context["count"] == 0


def test_the_header_loads_the_bell_without_a_query_of_its_own(people, as_user):
    page = as_user(people.school).get("/notices/settings/").content.decode()
    assert 'hx-get="/notices/bell/"' in page


def test_the_list_shows_only_the_persons_own_notices(people, as_user):
    notice(people.school, title="Значения возвращены на доработку")
    notice(people.curator, title="Чужое уведомление")
    page = as_user(people.school).get("/notices/").content.decode()
    assert "Значения возвращены на доработку" in page
    assert "Чужое уведомление" not in page


def test_opening_a_notice_marks_it_read_and_follows_its_link(people, as_user):
    own = notice(people.school, url="/programs/")
    response = as_user(people.school).get(f"/notices/{own.pk}/")
    assert response.status_code == 302 and response["Location"] == "/programs/"
    own.refresh_from_db()
    assert own.read_at is not None


def test_another_persons_notice_answers_404(people, as_user):
    other = notice(people.curator)
    assert as_user(people.school).get(f"/notices/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_all_can_be_marked_read(people, as_user):
    notice(people.school)
    mine_read_earlier = notice(people.school, title="Старое")
    mine_read_earlier.read_at = timezone.now() - timedelta(days=1)
    mine_read_earlier.save()
    theirs = notice(people.curator)
    as_user(people.school).post("/notices/read/")
    assert not Notification.objects.of(people.school).unread().exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_a_person_chooses_which_kinds_come_by_email(people, as_user):
    client = as_user(people.school)
    kept = [k for k in Kind.values if k not in (Kind.DIGEST, Kind.EVENT_REMINDER)]
    response = client.post("/notices/settings/", dict.fromkeys(kept, "on"))
    assert response.status_code == 302
    assert set(EmailOptOut.objects.filter(user=people.school).values_list("kind", flat=True)) == {
        Kind.DIGEST,
        Kind.EVENT_REMINDER,
    }
    client.post("/notices/settings/", dict.fromkeys(Kind.values, "on"))
    assert not EmailOptOut.objects.filter(user=people.school).exists()


def test_the_pages_need_a_signed_in_person(client):
    for url in ("/notices/", "/notices/bell/", "/notices/settings/"):
        assert client.get(url).status_code == 302


def test_the_list_makes_as_many_queries_for_30_notices_as_for_5(people, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(people.school)

    def queries(count):
        while Notification.objects.filter(recipient=people.school).count() < count:
            notice(people.school, title=f"Уведомление {Notification.objects.count()}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notices/").status_code == 200
        return len(captured)

    few, many = queries(5), queries(30)
    assert few == many, (few, many)
