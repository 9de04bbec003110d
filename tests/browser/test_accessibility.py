"""Pages for every eye and hand (WCAG 2.1 AA, ГОСТ Р 52872-2019): axe-core, from npm
(`package.json`, installed by `npm ci`), is injected into each main page of every kind of person
at a phone's 390 × 844 and must find nothing; no axe rule is switched off. The same crawl checks
that no page is wider than the screen.

The sweep is heavy, so it runs on one database leg (SQLite): the markup it checks does not depend
on the database."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from expertise import services
from expertise.models import Assignment, Contest, ExpertiseRound, Practice, Submission
from programs.models import Document, Participant
from schools.models import Membership
from tests import factories as f

from .test_phone import PHONE, busy, pages_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the accessibility sweep runs on the SQLite leg only",
    ),
]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — '
    + v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '));
}"""


def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it with `npm ci`.")
    return AXE.read_text()


def violations(page, source):
    """What axe finds on the page as it stands. The portal's Content Security Policy refuses
    script tags that are not its own, so axe is evaluated through the browser's protocol."""
    page.evaluate(source)
    return page.evaluate(RUN_AXE, WCAG_21_AA)


def wider_than_screen(page):
    return page.evaluate("() => document.documentElement.scrollWidth") > PHONE["width"]


def public_pages(world):
    return [reverse("home"), reverse("login"), reverse("programs:public", args=[world.program.pk])]


def crawl(page, live_server, urls, shows=None):
    """Each page at a desktop's width (the header's links are out) and at a phone's. A page
    must answer 200 — a refusal passing axe says nothing of the page — and show the element
    `shows` names for its address (a selector), if any: the form a person works in."""
    source = axe_source()
    problems = {}
    for url in urls:
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        found = [] if response.status == 200 else [f"answered {response.status}"]
        selector = (shows or {}).get(url)
        if selector and not page.locator(selector).count():
            found.append(f"{selector} is not on the page")
        found += [f"desktop: {v}" for v in violations(page, source)]
        page.set_viewport_size(PHONE)
        found += [f"phone: {v}" for v in violations(page, source)]
        if wider_than_screen(page):
            found.append(f"the page is wider than {PHONE['width']} px")
        if found:
            problems[url] = found
    return problems


def report(problems):
    return "\n".join(f"{url}:\n  " + "\n  ".join(found) for url, found in problems.items())


@pytest.mark.parametrize("person", ["school", "curator", "coordinator", "region"])
def test_every_main_page_passes_axe(person, scene, world, live_server, page, sign_in):
    busy(scene, world)
    sign_in(person)
    urls = pages_of(person, scene, world) + [
        reverse("notices:list"),
        reverse("notices:settings"),
        reverse("expertise:bank"),
        reverse("search") + "?q=школа",
        reverse("expertise:my_sheets"),
    ]
    problems = crawl(page, live_server, urls)
    assert problems == {}, report(problems)


def reviewers(scene, world):
    """An expert of the methodical centre and a peer reviewer of another school of the program,
    each with a sheet to score of the school's submitted document; the peer also sits on the
    jury of a contest with a work of the curator school to score. Their pages by person."""
    document = scene.inside.document
    document.status = Document.Status.SUBMITTED
    document.save()
    round_ = ExpertiseRound.objects.create(
        program=world.program,
        title="Экспертиза среднесрочных программ, первый этап",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    center = f.OrganizationFactory(
        municipality=world.municipality,
        kind="methodical_center",
        short_name="МКУ «Информационно-методический центр»",
    )
    peer_school = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    f.ParticipantFactory(
        program=world.program, organization=peer_school, role=Participant.Role.SUPPORTED
    )
    people, users, shows = {}, {}, {}
    for username, organization, role in (
        ("expert", center, Assignment.Role.EXPERT),
        ("peer", peer_school, Assignment.Role.MUTUAL),
    ):
        user = f.UserFactory(username=username)
        f.MembershipFactory(user=user, organization=organization, role=Membership.Role.STAFF)
        users[username] = user
        sheet = services.assign(document, user, role=role, round=round_, organization=organization)
        shows[sheet.get_absolute_url()] = "#sheet-form input[type=number]"
        people[username] = [
            reverse("home"),
            reverse("expertise:my_sheets"),
            sheet.get_absolute_url(),
            document.get_absolute_url(),
            reverse("expertise:bank"),
        ]
    practice = Practice.objects.create(
        title="Математический квест для пятиклассников",
        author_school=world.curator_school,
        description="Командная игра по станциям, где каждая станция — задача из ВПР.",
    )
    contest = Contest.objects.create(
        program=world.program,
        title="Панорама методических кейсов",
        submissions_until=timezone.localdate() + datetime.timedelta(days=20),
    )
    contest.jury.add(users["peer"])
    Submission.objects.create(contest=contest, practice=practice)
    people["peer"] += [contest.get_absolute_url(), practice.get_absolute_url()]
    shows[contest.get_absolute_url()] = "input[name=score]"
    return people, shows


@pytest.mark.parametrize("person", ["expert", "peer"])
def test_the_reviewers_pages_pass_axe(person, scene, world, live_server, page, sign_in):
    busy(scene, world)
    people, shows = reviewers(scene, world)
    sign_in(person)
    problems = crawl(page, live_server, people[person], shows)
    assert problems == {}, report(problems)


def test_the_public_pages_pass_axe(scene, world, live_server, page):
    world.program.is_public = True
    world.program.save()
    problems = crawl(page, live_server, public_pages(world))
    assert problems == {}, report(problems)


@pytest.mark.parametrize("person", ["coordinator", "region"])
def test_the_header_keeps_one_row_at_a_desktops_width(person, world, live_server, page, sign_in):
    user = world.people[person]
    user.first_name, user.last_name = "Александра Владимировна", "Константинопольская"
    user.save()
    page.set_viewport_size(DESKTOP)
    sign_in(person)
    # One row: every link and the search box lie within the height of the brand's line.
    boxes = page.evaluate(
        """() => [...document.querySelectorAll(
             '.portal-header .navbar-brand, .portal-header .nav-link, .portal-header input[type=search]')]
           .map((el) => { const b = el.getBoundingClientRect();
                          return [el.textContent.trim() || el.name, b.top, b.bottom]; })"""
    )
    middles = [(top + bottom) / 2 for _name, top, bottom in boxes]
    assert max(middles) - min(middles) < 12, boxes
