"""Every view of the curators' and school teams' pages, as each person of `world`, against objects
inside their reach (the «Вектор на развитие» program and its supported school) and outside it
(a program of the other municipality and the outsider school), for GET and POST.

Read a row as: this view, with this method, answers this to each person. 302 is a successful
POST's redirect (never to the sign-in page); LOGIN is the redirect of anonymous people to sign
in; 405 is a GET of a POST-only action. Every POST of a row runs in a savepoint rolled back
after it, so each person meets the same state.
"""

from urllib.parse import quote

import pytest
from django.db import transaction
from django.urls import reverse

from programs.models import Document
from roadmaps.models import RoadmapItem
from tests import factories as f
from tests.scene import upload

pytestmark = pytest.mark.django_db

LOGIN = "login"
PEOPLE = ["region", "coordinator", "other_coordinator", "curator", "school", "outsider", None]

# fmt: off
MATRIX = [
    # view                          method   region coord. other  curator school outsider anon
    ("home",                         "GET",   200,   200,   200,   200,   200,   200,   200),
    ("school page",                  "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("school page, outside",         "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("program page",                 "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("program page, outside",        "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("roadmap",                      "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("roadmap, outside",             "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("pair roadmap",                 "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("item",                         "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("item, outside",                "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("item report",                  "POST",  302,   302,   404,   302,   302,   404,   LOGIN),
    ("item report, not theirs",      "POST",  302,   302,   404,   403,   403,   404,   LOGIN),
    ("item report, outside",         "POST",  302,   404,   302,   404,   404,   302,   LOGIN),
    ("item status",                  "POST",  302,   302,   404,   302,   302,   404,   LOGIN),
    ("item status, not theirs",      "POST",  302,   302,   404,   403,   403,   404,   LOGIN),
    ("item status, outside",         "POST",  302,   404,   302,   404,   404,   302,   LOGIN),
    ("item status",                  "GET",   405,   405,   405,   405,   405,   405,   LOGIN),
    ("evidence file",                "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("evidence file, outside",       "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("point",                        "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("point, outside",               "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("data entry",                   "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("data entry",                   "POST",  302,   302,   404,   403,   302,   404,   LOGIN),
    ("data entry, outside",          "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("data entry, outside",          "POST",  302,   404,   302,   404,   404,   302,   LOGIN),
    ("approve value",                "POST",  302,   302,   404,   302,   403,   404,   LOGIN),
    ("approve value, outside",       "POST",  302,   404,   302,   404,   404,   403,   LOGIN),
    ("approve value",                "GET",   405,   405,   405,   405,   405,   405,   LOGIN),
    ("approve sheet",                "POST",  302,   302,   404,   302,   403,   404,   LOGIN),
    ("approve sheet, outside",       "POST",  302,   404,   302,   404,   404,   403,   LOGIN),
    ("approve sheet",                "GET",   405,   405,   405,   405,   405,   405,   LOGIN),
    ("document",                     "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("document, outside",            "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("document file",                "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("document version file",        "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("document version file, outside", "GET", 200,   404,   200,   404,   404,   200,   LOGIN),
    ("new document",                 "GET",   200,   200,   404,   403,   200,   404,   LOGIN),
    ("new document",                 "POST",  302,   302,   404,   403,   302,   404,   LOGIN),
    ("new document, outside",        "POST",  302,   404,   302,   404,   404,   302,   LOGIN),
    ("document new version",         "POST",  302,   302,   404,   403,   302,   404,   LOGIN),
    ("document new version, outside", "POST", 302,   404,   302,   404,   404,   302,   LOGIN),
    ("document new version",         "GET",   405,   405,   405,   405,   405,   405,   LOGIN),
    ("document submit",              "POST",  302,   302,   404,   403,   302,   404,   LOGIN),
    ("document review",              "POST",  302,   302,   404,   403,   403,   404,   LOGIN),
    ("document review, outside",     "POST",  302,   404,   302,   404,   404,   403,   LOGIN),
    ("risk profile",                 "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("risk profile, outside",        "GET",   200,   404,   200,   404,   404,   200,   LOGIN),
    ("risk profiles compared",       "GET",   200,   200,   404,   200,   200,   404,   LOGIN),
    ("new risk profile",             "GET",   200,   200,   404,   403,   200,   404,   LOGIN),
    ("new risk profile",             "POST",  302,   302,   404,   403,   302,   404,   LOGIN),
    ("risk profile edit",            "GET",   200,   200,   404,   403,   200,   404,   LOGIN),
    ("risk profile edit",            "POST",  302,   302,   404,   403,   302,   404,   LOGIN),
    ("risk profile edit, outside",   "POST",  302,   404,   302,   404,   404,   302,   LOGIN),
]
# fmt: on


def _side(scene, view):
    return scene.outside if view.endswith(", outside") else scene.inside


def _levels(scene, level="low"):
    return {f"level_{factor.pk}": level for factor in scene.factors}


def _entry_data(side):
    data = {"action": "draft"}
    for indicator in side.indicators:
        data[f"i{indicator.pk}-value"] = ""
        data[f"i{indicator.pk}-revision"] = 0
    data[f"i{side.percent.pk}-value"] = "20"
    data[f"i{side.percent.pk}-revision"] = side.measurement.revision
    return data


def _not_theirs(scene):
    """An item of the program's roadmap that no school is responsible for."""
    if not hasattr(scene, "coordinators_item"):
        scene.coordinators_item = f.RoadmapItemFactory(roadmap=scene.inside.roadmap)
    return scene.coordinators_item


def _submitted(document):
    Document.objects.filter(pk=document.pk).update(status=Document.Status.SUBMITTED)
    document.refresh_from_db()
    return document


def request_for(view, scene, world):
    """(url, POST data builder) of a row's view."""
    side = _side(scene, view)
    base = view.removesuffix(", outside")
    item = _not_theirs(scene) if base.endswith("not theirs") else side.item
    base = base.removesuffix(", not theirs")
    school = side.school
    if base == "home":
        return reverse("home"), None
    if base == "school page":
        return school.get_absolute_url(), None
    if base == "program page":
        return side.program.get_absolute_url(), None
    if base == "roadmap":
        return side.roadmap.get_absolute_url(), None
    if base == "pair roadmap":
        return scene.pair_roadmap.get_absolute_url(), None
    if base in ("item", "item report"):
        return item.get_absolute_url(), lambda: {
            "status": RoadmapItem.Status.IN_PROGRESS,
            "text": "Проведён педсовет",
            "revision": item.revision,
        }
    if base == "item status":
        return reverse("roadmaps:item_status", args=[item.pk]), lambda: {
            f"item{item.pk}-status": RoadmapItem.Status.IN_PROGRESS,
            f"item{item.pk}-revision": item.revision,
        }
    if base == "evidence file":
        return reverse("roadmaps:evidence", args=[side.evidence.pk]), None
    if base == "point":
        return side.point.get_absolute_url(), None
    if base == "data entry":
        url = reverse("monitoring:entry", args=[side.point.pk, school.pk])
        return url, lambda: _entry_data(side)
    if base == "approve value":
        m = side.measurement
        return reverse("monitoring:review", args=[m.pk]), lambda: {
            f"r{m.pk}-action": "approve",
            f"r{m.pk}-comment": "",
            f"r{m.pk}-revision": m.revision,
        }
    if base == "approve sheet":
        return reverse("monitoring:review_sheet", args=[side.point.pk, side.school.pk]), lambda: {
            "action": "approve",
            "comment": "",
        }
    if base == "document":
        return side.document.get_absolute_url(), None
    if base == "document file":
        return reverse("programs:document_file", args=[side.document.pk]), None
    if base == "document version file":
        return reverse("programs:version_file", args=[side.version.pk]), None
    if base == "new document":
        return reverse("programs:document_create", args=[school.pk]), lambda: {
            "program": side.program.pk,
            "kind": Document.Kind.DEVELOPMENT_CONCEPT,
            "title": "Концепция развития",
            "file": upload(),
        }
    if base == "document new version":
        document = side.document
        return reverse("programs:document_upload", args=[document.pk]), lambda: {
            "file": upload("программа-2.pdf"),
            "revision": document.revision,
        }
    if base == "document submit":
        document = side.document
        return reverse("programs:document_submit", args=[document.pk]), lambda: {
            "revision": document.revision
        }
    if base == "document review":
        document = _submitted(side.document)
        return reverse("programs:document_review", args=[document.pk]), lambda: {
            "verdict": "approve",
            "comment": "",
            "revision": document.revision,
        }
    if base == "risk profile":
        return side.profile.get_absolute_url(), None
    if base == "risk profiles compared":
        return reverse("schools:risk_profile_compare", args=[school.pk]), None
    if base == "new risk profile":
        return reverse("schools:risk_profile_new", args=[school.pk]), lambda: {
            "assessed_on": scene.today.isoformat(),
            "source": "самодиагностика",
            "revision": 0,
            **_levels(scene),
        }
    if base == "risk profile edit":
        profile = side.profile
        return reverse("schools:risk_profile_edit", args=[profile.pk]), lambda: {
            "assessed_on": profile.assessed_on.isoformat(),
            "source": "уточнено",
            "revision": profile.revision,
            **_levels(scene, "medium"),
        }
    raise AssertionError(f"no URL for {view!r}")


def answer(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(
    ("view", "method", "expected"),
    [(row[0], row[1], dict(zip(PEOPLE, row[2:], strict=True))) for row in MATRIX],
    ids=[f"{row[1]} {row[0]}" for row in MATRIX],
)
def test_each_person_gets_exactly_the_answer_of_the_matrix(
    view, method, expected, scene, world, as_user
):
    url, data = request_for(view, scene, world)
    got = {}
    for name in PEOPLE:
        client = as_user(world.people[name] if name else None)
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data() if data else {})
            transaction.set_rollback(True)
        got[name] = answer(response)
        if got[name] == LOGIN:
            assert response.url == f"{reverse('login')}?next={quote(url)}"
    assert got == expected


MODULES = {"config.views", "schools.views", "programs.views", "roadmaps.views", "monitoring.views"}
# Views of those modules that are not pages of this issue: lists, the public page, events, and
# the name `schools:organization` kept for links to the school page; sign-in has its own tests.
ELSEWHERE = {
    "login",
    "admin_file",  # superusers only; tests/test_admin.py
    "programs:list",
    "programs:public",
    "programs:public_document_file",  # tests/programs/test_public_page.py
    "programs:document_publish",  # tests/programs/test_public_page.py
    "schools:list",
    "schools:organization",
    "roadmaps:event",
}
COVERED = {
    "home": "home",
    "school": "school page",
    "programs:detail": "program page",
    "programs:document": "document",
    "programs:document_upload": "document new version",
    "programs:document_submit": "document submit",
    "programs:document_review": "document review",
    "programs:document_file": "document file",
    "programs:version_file": "document version file",
    "programs:document_create": "new document",
    "roadmaps:roadmap": "roadmap",
    "roadmaps:item": "item",
    "roadmaps:item_status": "item status",
    "roadmaps:evidence": "evidence file",
    "monitoring:point": "point",
    "monitoring:entry": "data entry",
    "monitoring:review": "approve value",
    "monitoring:review_sheet": "approve sheet",
    "schools:risk_profile": "risk profile",
    "schools:risk_profile_new": "new risk profile",
    "schools:risk_profile_edit": "risk profile edit",
    "schools:risk_profile_compare": "risk profiles compared",
}


def _named_views(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _named_views(pattern, pattern.namespace or namespace)
        elif pattern.name:
            module = getattr(pattern.callback, "view_class", pattern.callback).__module__
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), module


def test_the_matrix_covers_every_view_of_these_pages():
    """A view added to these modules without a row in the matrix fails here."""
    from django.urls import get_resolver

    names = {name for name, module in _named_views(get_resolver()) if module in MODULES}
    assert names - ELSEWHERE == set(COVERED)
    rows = {row[0].removesuffix(", outside").removesuffix(", not theirs") for row in MATRIX}
    assert set(COVERED.values()) <= rows
