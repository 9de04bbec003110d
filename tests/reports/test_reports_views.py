"""Report downloads as each of the named people, the period form, the links on subject pages,
and query counts that do not grow with the schools of a program."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.kinds import KINDS

from .reporting import add_schools, pdf_text, workbook

pytestmark = pytest.mark.django_db

FORMATS = {
    "page": "reports:report",
    "pdf": "reports:report_pdf",
    "xlsx": "reports:report_xlsx",
}
CONTENT_TYPES = {
    "page": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def url(slug, subject, fmt="page", query=""):
    return reverse(FORMATS[fmt], args=[slug, subject.pk]) + (f"?{query}" if query else "")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", KINDS)
def test_anonymous_visitors_are_sent_to_sign_in(as_user, subjects, slug, fmt):
    address = url(slug, subjects[slug], fmt)
    response = as_user(None).get(address)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={address}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", KINDS)
@pytest.mark.parametrize("person", ["other_coordinator", "outsider"])
def test_people_without_access_to_the_subject_get_404(world, as_user, subjects, slug, fmt, person):
    response = as_user(world.people[person]).get(url(slug, subjects[slug], fmt))
    assert response.status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", KINDS)
def test_the_coordinator_downloads_every_report_in_every_format(
    world, as_user, subjects, slug, fmt
):
    response = as_user(world.coordinator).get(url(slug, subjects[slug], fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    title = KINDS[slug].title
    if fmt == "page":
        page = response.content.decode()
        assert title in page
        assert f'href="{url(slug, subjects[slug], "pdf")}"' in page
    else:
        assert response["Content-Disposition"].startswith("attachment; filename")
        assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "pdf":
        assert title in pdf_text(response.content)
    if fmt == "xlsx":
        assert workbook(response.content)["Сводка"]["A1"].value == title


@pytest.mark.parametrize(
    ("person", "slug"),
    [("school", "passport"), ("school", "note"), ("curator", "school"), ("region", "half-year")],
)
def test_people_who_see_the_subject_see_its_report(world, as_user, subjects, person, slug):
    response = as_user(world.people[person]).get(url(slug, subjects[slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert KINDS[slug].title in page
    assert response.context["report"].sections
    assert f'href="{url(slug, subjects[slug], "pdf")}"' in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_are_only_read(world, as_user, subjects, fmt):
    response = as_user(world.coordinator).post(url("passport", subjects["passport"], fmt))
    assert response.status_code == 405


def test_an_unknown_report_is_404(world, as_user):
    response = as_user(world.coordinator).get(f"/reports/budget/{world.program.pk}/")
    assert response.status_code == 404


def test_the_school_card_is_404_for_an_authority(world, as_user):
    response = as_user(world.coordinator).get(url("school", world.authority))
    assert response.status_code == 404


# The period of the half-year report


def test_the_half_year_page_takes_its_period_from_the_query(world, as_user, filled):
    query = "from=2023-01-01&to=2023-06-30"
    response = as_user(world.coordinator).get(url("half-year", world.program, query=query))
    assert response.status_code == 200
    page = response.content.decode()
    assert "01.01.2023 — 30.06.2023" in page
    assert "Семинар «Есть проект»" in page
    # The downloads carry the same period.
    assert url("half-year", world.program, "pdf", query).replace("&", "&amp;") in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=31.02.2023&to=2023-06-30", "from", "Введите правильную дату."),
        ("from=2023-07-01&to=2023-06-30", "to", "Конец периода не может быть раньше его начала."),
        ("from=&to=2023-06-30", "from", "Обязательное поле."),
    ],
)
def test_a_wrong_period_is_explained_beside_its_date(world, as_user, query, field, message):
    client = as_user(world.coordinator)
    response = client.get(url("half-year", world.program, query=query))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}" value' in page and "is-invalid" in page
    assert f'<div class="invalid-feedback">{message}</div>' in page
    assert "Итоги периода" not in page
    download = client.get(url("half-year", world.program, "pdf", query))
    assert download.status_code == 400
    assert message in download.content.decode()


# Links on the pages of the subjects


def test_the_program_page_links_to_its_reports(world, as_user, filled):
    page = as_user(world.coordinator).get(world.program.get_absolute_url()).content.decode()
    for slug in ("passport", "events"):
        for fmt in FORMATS:
            assert f'href="{url(slug, world.program, fmt)}"' in page
    period = "from=2023-07-01&amp;to=2023-12-31"
    assert f'href="{url("half-year", world.program)}?{period}"' in page
    # The program's own roadmap and each point are reported on from the program page too.
    assert f'href="{url("roadmap", filled.roadmap)}"' in page
    assert f'href="{url("note", filled.points.spring)}"' in page


@pytest.mark.parametrize(
    ("slug", "page_of"),
    [
        ("roadmap", lambda w, f: f.roadmap),
        ("note", lambda w, f: f.points.spring),
        ("school", lambda w, f: w.supported_school),
    ],
)
def test_subject_pages_link_to_their_report(world, as_user, filled, slug, page_of):
    subject = page_of(world, filled)
    page = as_user(world.coordinator).get(subject.get_absolute_url()).content.decode()
    assert f'href="{url(slug, subject, "pdf")}"' in page
    assert KINDS[slug].title in page


def test_an_authority_page_offers_no_school_card(world, as_user):
    page = as_user(world.coordinator).get(world.authority.get_absolute_url()).content.decode()
    assert "/reports/" not in page


def test_the_links_cost_no_queries(world, django_assert_num_queries):
    template = Template('{% include "reports/_links.html" with subject=program %}')
    with django_assert_num_queries(0):
        html = template.render(Context({"program": world.program}))
    assert html.count('class="btn btn-outline-primary btn-sm"') == 3


# Query counts


@pytest.mark.parametrize("slug", KINDS)
def test_report_pages_make_as_many_queries_for_50_schools_as_for_5(
    world, as_user, filled, subjects, slug
):
    client = as_user(world.coordinator)
    address = url(slug, subjects[slug], query="from=2023-01-01&to=2023-12-31")
    add_schools(world, filled, 5)
    with CaptureQueriesContext(connection) as five:
        assert client.get(address).status_code == 200
    add_schools(world, filled, 45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(address).status_code == 200
    assert len(fifty) == len(five)
