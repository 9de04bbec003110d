"""Pages for every eye and hand (WCAG 2.1 AA, ГОСТ Р 52872-2019): axe-core, from npm
(`package.json`, installed by `npm ci`), is injected into each main page of every kind of person
at a phone's 390 × 844 and must find nothing; no axe rule is switched off. The same crawl checks
that no page is wider than the screen.

The sweep is heavy, so it runs on one database leg (SQLite): the markup it checks does not depend
on the database."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

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


def crawl(page, live_server, urls):
    """Each page at a desktop's width (the header's links are out) and at a phone's."""
    source = axe_source()
    problems = {}
    for url in urls:
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        found = [f"desktop: {v}" for v in violations(page, source)]
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
