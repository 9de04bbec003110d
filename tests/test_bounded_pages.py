"""Pages stay the size a person can read, whatever the size of the program: with 5,000
candidate schools a form offers a search instead of 5,000 options, and long tables are paged.
Query counts do not depend on the number of schools."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Participant
from roadmaps.models import Attendance, Event, Roadmap
from schools.models import Organization

from . import factories as f

pytestmark = pytest.mark.django_db

MANY = 5000
# A page of a national program lists at most this many rows or options.
BOUND = 300


def add_schools(world, count, first=0):
    """`count` more supported schools of the world's program (numbered from `first`), with a
    roadmap each."""
    schools = Organization.objects.bulk_create(
        Organization(
            kind=Organization.Kind.SCHOOL,
            region=world.region,
            municipality=world.municipality,
            short_name=f"СОШ № {n}",
            name=f"Средняя школа № {n}",
        )
        for n in range(first, first + count)
    )
    Participant.objects.bulk_create(
        Participant(program=world.program, organization=s, role=Participant.Role.SUPPORTED)
        for s in schools
    )
    Roadmap.objects.bulk_create(
        Roadmap(
            program=world.program,
            level=Roadmap.Level.SCHOOL,
            organization=s,
            title=f"ДК {s.short_name}",
        )
        for s in schools
    )
    return schools


def rows_in(html):
    """Options, checkboxes and table rows of a page."""
    return len(re.findall(r"<option\b|type=\"checkbox\"|<tr\b", html))


def queries_of(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries), response.content.decode()


PAGES = {
    "event form": lambda w, event: reverse("roadmaps:event_create", args=[w.program.pk]),
    "event edit": lambda w, event: reverse("roadmaps:event_edit", args=[event.pk]),
    "attendance": lambda w, event: reverse("roadmaps:attendance", args=[event.pk]),
    "pairs set-up": lambda w, event: reverse("programs:setup_pairs", args=[w.program.pk]),
    "roadmaps set-up": lambda w, event: reverse("roadmaps:setup", args=[w.program.pk]),
    "program page": lambda w, event: reverse("programs:detail", args=[w.program.pk]),
    "items of the program": lambda w, event: reverse("roadmaps:items", args=[w.program.pk]),
}


@pytest.fixture
def held(world):
    event = f.EventFactory(
        program=world.program,
        organizer=world.authority,
        starts_at=timezone.now() - timezone.timedelta(days=1),
    )
    event.invited.add(world.supported_school)
    return event


@pytest.mark.parametrize("page", PAGES)
def test_a_page_with_5000_candidates_renders_at_most_the_bound(world, as_user, held, page):
    client = as_user(world.coordinator)
    address = PAGES[page](world, held)
    held.invited.add(*add_schools(world, 2, first=MANY))
    few_queries, _few = queries_of(client, address)

    schools = add_schools(world, MANY)
    held.invited.add(*schools)
    many_queries, html = queries_of(client, address)

    assert rows_in(html) <= BOUND
    assert len(html.encode()) < 500 * 1024
    assert many_queries == few_queries


def test_the_search_offers_the_fields_choices_only(world, as_user):
    add_schools(world, 30)
    outside = f.OrganizationFactory(municipality=world.other_municipality, short_name="СОШ № 9 г.")
    client = as_user(world.coordinator)
    search = reverse("programs:setup_pairs_search", args=[world.program.pk])
    found = client.get(search, {"name": "supported_school", "q": "СОШ"}).content.decode()
    offered = re.findall(r'data-pick="(\d+)"', found)
    assert len(offered) == 20
    assert str(outside.pk) not in offered
    assert "уточните запрос" in found
    one = client.get(search, {"name": "supported_school", "q": "школа № 17"}).content.decode()
    assert re.findall(r'data-pick="(\d+)"', one) == [
        str(Organization.objects.get(short_name="СОШ № 17").pk)
    ]
    nothing = client.get(search, {"name": "supported_school", "q": "Лицей"}).content.decode()
    assert "Ничего не найдено по «Лицей»" in nothing


def test_an_empty_picker_offers_its_first_options_within_the_fields_choices(world, as_user):
    add_schools(world, 30)
    outside = f.OrganizationFactory(municipality=world.other_municipality, short_name="СОШ № 9 г.")
    search = reverse("programs:setup_pairs_search", args=[world.program.pk])
    html = as_user(world.coordinator).get(search, {"name": "supported_school", "q": ""})
    offered = re.findall(r'data-pick="(\d+)"', html.content.decode())
    assert len(offered) == 20
    assert str(outside.pk) not in offered
    assert "уточните запрос" in html.content.decode()
    # One letter is still too little to search by.
    one = as_user(world.coordinator).get(search, {"name": "supported_school", "q": "С"})
    assert "Введите хотя бы две буквы" in one.content.decode()


@pytest.mark.parametrize(
    ("person", "status"),
    # The school sees its program but may not set it up; the others do not see it at all.
    [("other_coordinator", 404), ("school", 403), ("outsider", 404)],
)
def test_people_who_may_not_set_up_the_program_cannot_search_its_schools(
    world, as_user, person, status
):
    search = reverse("programs:setup_pairs_search", args=[world.program.pk])
    response = as_user(world.people[person]).get(search, {"name": "supported_school", "q": "СОШ"})
    assert response.status_code == status


def test_a_pair_is_made_from_picked_schools(world, as_user):
    schools = add_schools(world, 3)
    response = as_user(world.coordinator).post(
        reverse("programs:setup_pairs", args=[world.program.pk]),
        {"curator_school": world.curator_school.pk, "supported_school": schools[0].pk},
    )
    assert response.status_code == 302
    assert world.program.pairs.filter(supported_school=schools[0]).exists()


def test_attendance_is_marked_a_page_at_a_time_and_keeps_the_other_pages(world, as_user, held):
    schools = add_schools(world, 150)
    held.invited.add(*schools)
    first = sorted([world.supported_school, *schools], key=lambda s: s.short_name)[0]
    Attendance.objects.create(event=held, organization=first, people_count=3)
    client = as_user(world.coordinator)
    address = reverse("roadmaps:attendance", args=[held.pk])
    second_page = client.get(address, {"page": 2})
    formset = second_page.context["formset"]
    assert len(formset.forms) == settings.PAGE_SIZE
    data = {
        "attendance-TOTAL_FORMS": len(formset.forms),
        "attendance-INITIAL_FORMS": len(formset.forms),
    }
    for n, form in enumerate(formset.forms):
        data[f"attendance-{n}-organization"] = form.initial["organization"]
    data["attendance-0-present"] = "on"
    data["attendance-0-people_count"] = "2"
    response = client.post(f"{address}?page=2", data)
    assert response.status_code == 302
    assert response.url == f"{address}?page=2"
    assert Event.objects.get(pk=held.pk).attendances.count() == 2
    assert Attendance.objects.get(event=held, organization=first).people_count == 3


def test_the_item_list_picks_roadmaps_and_responsible_by_search_within_the_users_reach(
    world, as_user
):
    schools = add_schools(world, 30)
    far = f.OrganizationFactory(municipality=world.other_municipality, short_name="СОШ № 9 г.")
    f.ParticipantFactory(program=world.program, organization=far)
    search = reverse("roadmaps:items_search", args=[world.program.pk])

    def offered(user, name, text):
        page = as_user(user).get(search, {"name": name, "q": text})
        assert page.status_code == 200
        return re.findall(r'data-pick="(\d+)"', page.content.decode())

    # The municipality's coordinator finds its schools, not the other municipality's.
    found = offered(world.coordinator, "responsible", "СОШ № 9")
    assert str(schools[9].pk) in found and str(far.pk) not in found
    # The region's coordinator sees both municipalities.
    assert str(far.pk) in offered(world.region_coordinator, "responsible", "СОШ № 9")
    assert offered(world.coordinator, "roadmap", "ДК СОШ № 17") == [
        str(Roadmap.objects.get(organization=schools[17]).pk)
    ]
    assert as_user(world.coordinator).get(search, {"name": "module", "q": "ДК"}).status_code == 404
    assert as_user(world.outsider).get(search, {"name": "roadmap", "q": "ДК"}).status_code == 404


def test_a_responsible_picked_on_the_item_list_filters_it_and_stays_chosen(world, as_user):
    school = add_schools(world, 3)[1]
    roadmap = Roadmap.objects.get(organization=school)
    item = f.RoadmapItemFactory(roadmap=roadmap, title="Курсы для учителей математики")
    item.responsible.add(school)
    f.RoadmapItemFactory(roadmap=roadmap, title="Другое мероприятие")
    page = as_user(world.coordinator).get(
        reverse("roadmaps:items", args=[world.program.pk]),
        {"responsible": school.pk, "q": "курсы"},
    )
    html = page.content.decode()
    assert "Курсы для учителей математики" in html and "Другое мероприятие" not in html
    assert re.search(rf'<option value="{school.pk}"[^>]*selected>{school.short_name}', html)
    # The picker's own search box belongs to no form: submitting the filter sends one «q».
    assert re.search(r'<input type="search"[^>]*name="q"[^>]*form="[^"]+-search"', html)


def test_searches_ignore_the_case_of_russian_letters_on_every_database(world, as_user):
    """SQLite's LIKE folds only Latin letters: every search goes through core.search instead."""
    add_schools(world, 20)
    client = as_user(world.coordinator)
    picked = client.get(
        reverse("programs:setup_pairs_search", args=[world.program.pk]),
        {"name": "supported_school", "q": "сош № 17"},
    ).content.decode()
    assert re.findall(r'data-pick="(\d+)"', picked) == [
        str(Organization.objects.get(short_name="СОШ № 17").pk)
    ]
    listed = client.get(reverse("schools:list"), {"q": "сош № 17"}).content.decode()
    assert "СОШ № 17" in listed and "СОШ № 16" not in listed
    f.EventFactory(program=world.program, title="Семинар для ЗАВУЧЕЙ")
    events = client.get(reverse("roadmaps:events", args=[world.program.pk]), {"q": "завучей"})
    assert "Семинар для ЗАВУЧЕЙ" in events.content.decode()


def test_the_expertise_detail_pages_each_kinds_schools(world, as_user):
    from expertise.models import PassThreshold

    PassThreshold.objects.create(program=world.program, kind="", share=80)
    add_schools(world, 120)
    client = as_user(world.region_coordinator)
    address = reverse("dashboards:expertise", args=[world.program.pk])
    first = client.get(address).content.decode()
    assert first.count('class="not-counted"') == 50
    assert "1–50 из 121" in first and 'href="?page-all=2#kind-all"' in first
    last = client.get(address, {"page-all": 3}).content.decode()
    assert last.count('class="not-counted"') == 21
