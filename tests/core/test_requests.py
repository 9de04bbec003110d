"""Odd input answered as bad input, never as a server error: NUL bytes anywhere in a request
(400, before any view), ids that are no whole number (404), through core.requests."""

import pytest
from django.http import Http404, QueryDict
from django.urls import reverse

from core.requests import read_id, read_text
from programs.models import CuratorPair

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/notices/invitations/search/?name=organization&q=%D0%B0%00%D0%B1",
        "/schools/?q=%00",
        "/?x%00=1",
    ],
)
def test_a_nul_byte_in_a_query_is_a_bad_request(world, as_user, url):
    response = as_user(world.coordinator).get(url)
    assert response.status_code == 400
    assert "недопустимые символы" in response.content.decode()


@pytest.mark.parametrize("url", ["/notices/calendar/a%00b.ics", "/files/%00", "/programs/%00/"])
def test_a_nul_byte_in_a_path_is_a_bad_request_even_anonymously(client, url):
    assert client.get(url).status_code == 400


def test_a_nul_byte_in_a_posted_form_is_a_bad_request(world, as_user):
    client = as_user(world.coordinator)
    response = client.post(
        reverse("notices:invitation_create"),
        {"last_name": "Иванова\x00", "first_name": "Анна", "email": "a@example.ru"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("school", ["NaN", "1e309", "-1", "abc", "9" * 40, "１２"])
def test_the_pairing_assistants_accept_refuses_a_school_that_is_no_id(world, as_user, school):
    response = as_user(world.coordinator).post(
        reverse("expertise:pairing_accept", args=[world.program.pk]),
        {"school": school, "curator_school": world.curator_school.pk},
    )
    assert response.status_code == 404
    assert CuratorPair.objects.count() == 1


@pytest.mark.parametrize("region", ["NaN", "1e309", "9" * 40])
def test_a_dashboard_narrowed_to_no_region_is_not_found(world, as_user, region):
    url = reverse("dashboards:dashboard", args=[world.program.pk])
    assert as_user(world.coordinator).get(url, {"region": region}).status_code == 404


def test_read_id_reads_whole_numbers_only():
    data = QueryDict("a=12&b=&c=1.5&d=%2012%20")
    assert read_id(data, "a") == 12
    assert read_id(data, "b") is None and read_id(data, "missing") is None
    assert read_id(data, "d") == 12
    with pytest.raises(Http404):
        read_id(data, "c")
    with pytest.raises(Http404):
        read_id(data, "missing", required=True)


def test_read_text_strips_and_bounds():
    assert read_text(QueryDict("q=%20слово%20"), "q") == "слово"
    assert read_text({"q": "a\x00b"}, "q") == "ab"
    assert read_text({"q": "abcdef"}, "q", max_length=3) == "abc"


def test_ticked_ids_keep_the_whole_numbers_of_a_key_s_range_each_once():
    from django.http import QueryDict

    from core.requests import MAX_ID, read_ids

    data = QueryDict(mutable=True)
    data.setlist("box", ["3", " 7 ", "3", "²", "NaN", "1e309", "-1", "0", str(MAX_ID + 1), "5"])
    assert read_ids(data, "box") == [3, 7, 5]
    assert read_ids(data, "other") == []
