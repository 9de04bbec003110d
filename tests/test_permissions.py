"""The permission table: every route of the portal, as each person of `world` and as an
anonymous visitor, against objects inside the reach of the `world` program's people (its
supported school, pair, points, documents…) and outside it (a program of the other
municipality, whose supported school is the outsider's). A route added without a row fails
`test_every_route_has_a_row`.

Read a row as: this route, with this method, answers this to each person. The answers say one
thing exactly:
- 200 the page or file; 302 a successful POST's redirect, or a page that sends on elsewhere
  (never to the sign-in page);
- LOGIN the redirect of anonymous people to sign in (with `?next=` back to the page);
- ADMIN the Django admin's own sign-in, for whoever is not staff;
- 403 the object is seen but this is not theirs to do; 404 the object is out of reach (the
  portal never says that something exists to whom may not see it);
- 405 a GET of a POST-only action; 401 the read API without a good bearer token.

A row «…, outside» asks the same of the other municipality's objects; the API's rows send each
person's own bearer token, «…, signed in, no token» rows a session and no token, «…, bad token»
rows a token nobody was issued. How each label reaches its route: tests/permissions_rows.py.
Every POST of a row runs in a savepoint rolled back after it, so each person meets the same
state.
"""

from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests.permissions_rows import API, ROUTES, api_token_for, build_places, registered
from tests.permissions_rows import request_for as build_request
from tests.scene import factors, scene  # noqa: F401

pytestmark = pytest.mark.django_db

LOGIN = "login"
ADMIN = "admin login"
PEOPLE = ["region", "coordinator", "other_coordinator", "curator", "school", "outsider", None]

# fmt: off
TABLE = [
    # route                                              method  region coord. other curator school outsider anon
    ("home",                                              "GET",    200,   200,   200,   200,   200,   200,   200),
    ("search",                                            "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("sign-in page",                                      "GET",    302,   302,   302,   302,   302,   302,   200),
    ("sign out",                                          "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("sign out",                                          "POST", LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("password change",                                   "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("password changed",                                  "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("identity provider sign-in",                         "GET",    404,   404,   404,   404,   404,   404,   404),
    ("identity provider callback",                        "GET",    404,   404,   404,   404,   404,   404,   404),
    ("password recovery",                                 "GET",    200,   200,   200,   200,   200,   200,   200),
    ("recovery mail sent",                                "GET",    200,   200,   200,   200,   200,   200,   200),
    ("recovery link, wrong",                              "GET",    200,   200,   200,   200,   200,   200,   200),
    ("recovery done",                                     "GET",    200,   200,   200,   200,   200,   200,   200),
    ("audit trail",                                       "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("my sessions",                                       "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("my data",                                           "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("privacy notice",                                    "GET",    200,   200,   200,   200,   200,   200,   200),
    ("people of the territory",                           "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("second factor check",                               "GET",    302,   302,   302,   302,   302,   302, LOGIN),
    ("second factor enrolment",                           "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("security settings",                                 "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("second factor reset of the school's person",        "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("second factor reset of the school's person",        "POST",   302,   302,   404,   403,   403,   403, LOGIN),
    ("health",                                            "GET",    200,   200,   200,   200,   200,   200,   200),
    ("school list",                                       "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("school list, old name",                             "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("school page",                                       "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("school page, outside",                              "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("school page, old name",                             "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("school page, old name, outside",                    "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("risk profile",                                      "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("risk profile, outside",                             "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("risk profiles compared",                            "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("risk profiles compared, outside",                   "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("new risk profile",                                  "GET",    200,   200,   404,   403,   200,   404, LOGIN),
    ("new risk profile",                                  "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("new risk profile, outside",                         "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("new risk profile, outside",                         "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("risk profile edit",                                 "GET",    200,   200,   404,   403,   200,   404, LOGIN),
    ("risk profile edit",                                 "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("risk profile edit, outside",                        "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("risk profile edit, outside",                        "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("school import",                                     "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("school import confirm",                             "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("school import confirm",                             "POST",   302,   302,   302,   403,   403,   403, LOGIN),
    ("school import job of the region",                   "GET",    200,   404,   404,   403,   403,   403, LOGIN),
    ("school import template",                            "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("program list",                                      "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("program page",                                      "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("program page, outside",                             "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("public page",                                       "GET",    200,   200,   200,   200,   200,   200,   200),
    ("public page, closed program",                       "GET",    404,   404,   404,   404,   404,   404,   404),
    ("public page, closed program, outside",              "GET",    404,   404,   404,   404,   404,   404,   404),
    ("published material",                                "GET",    200,   200,   200,   200,   200,   200,   200),
    ("unpublished material",                              "GET",    404,   404,   404,   404,   404,   404,   404),
    ("unpublished material, outside",                     "GET",    404,   404,   404,   404,   404,   404,   404),
    ("document publish",                                  "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document publish",                                  "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("document publish, outside",                         "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document publish, outside",                         "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("document",                                          "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("document, outside",                                 "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("document file",                                     "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("document file, outside",                            "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("document version file",                             "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("document version file, outside",                    "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("new document",                                      "GET",    200,   200,   404,   403,   200,   404, LOGIN),
    ("new document",                                      "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("new document, outside",                             "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("new document, outside",                             "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("document new version",                              "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document new version",                              "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("document new version, outside",                     "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document new version, outside",                     "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("document submit",                                   "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document submit",                                   "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("document submit, outside",                          "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document submit, outside",                          "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("document review",                                   "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document review",                                   "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("document review, outside",                          "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("document review, outside",                          "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("new program",                                       "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("program setup",                                     "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("program setup, outside",                            "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("participants setup",                                "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("participants setup, outside",                       "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("participants search",                               "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("participants search, outside",                      "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("pairs setup",                                       "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("pairs setup, outside",                              "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("pairs search",                                      "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("pairs search, outside",                             "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("modules setup",                                     "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("modules setup, outside",                            "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("modules reorder",                                   "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("modules reorder",                                   "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("modules reorder, outside",                          "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("modules reorder, outside",                          "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("module move",                                       "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("module move",                                       "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("module move, outside",                              "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("module move, outside",                              "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("participant remove",                                "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("participant remove",                                "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("participant remove, outside",                       "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("participant remove, outside",                       "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("pair setup",                                        "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("pair setup, outside",                               "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("pair delete",                                       "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("pair delete",                                       "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("pair delete, outside",                              "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("pair delete, outside",                              "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("agreement file",                                    "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("agreement file, outside",                           "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("roadmap",                                           "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("roadmap, outside",                                  "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("pair roadmap",                                      "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("item",                                              "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("item, outside",                                     "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("item report",                                       "POST",   302,   302,   404,   302,   302,   404, LOGIN),
    ("item report, outside",                              "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("item report, not theirs",                           "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("item status",                                       "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item status",                                       "POST",   302,   302,   404,   302,   302,   404, LOGIN),
    ("item status, outside",                              "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item status, outside",                              "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("item status, not theirs",                           "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item status, not theirs",                           "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("evidence file",                                     "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("evidence file, outside",                            "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("event",                                             "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("event, outside",                                    "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("roadmaps setup",                                    "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("roadmaps setup, outside",                           "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("roadmaps setup search",                             "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("roadmaps setup search, outside",                    "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("item list",                                         "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("item list, outside",                                "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("item list search",                                  "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("item list search, outside",                         "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("roadmap setup",                                     "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("roadmap setup, outside",                            "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("roadmap reorder",                                   "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("roadmap reorder",                                   "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("roadmap reorder, outside",                          "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("roadmap reorder, outside",                          "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("item edit",                                         "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("item edit, outside",                                "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("item delete",                                       "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item delete",                                       "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("item delete, outside",                              "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item delete, outside",                              "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("item move",                                         "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item move",                                         "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("item move, outside",                                "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("item move, outside",                                "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("roadmap import",                                    "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("roadmap import, outside",                           "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("roadmap import search",                             "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("roadmap import search, outside",                    "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("roadmap import preview",                            "GET",    302,   302,   404,   403,   403,   404, LOGIN),
    ("roadmap import preview",                            "POST",   405,   405,   405,   405,   405,   405, LOGIN),
    ("roadmap import preview, outside",                   "GET",    302,   404,   302,   404,   404,   403, LOGIN),
    ("roadmap import preview, outside",                   "POST",   405,   405,   405,   405,   405,   405, LOGIN),
    ("roadmap import confirm",                            "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("roadmap import confirm",                            "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("roadmap import confirm, outside",                   "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("roadmap import confirm, outside",                   "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("schedule preview",                                  "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("schedule preview, outside",                         "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("event list",                                        "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("event list, outside",                               "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("event calendar",                                    "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("event calendar, outside",                           "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("new event",                                         "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("new event, outside",                                "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("event search",                                      "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("event search, outside",                             "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("event edit",                                        "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("event edit, outside",                               "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("event delete",                                      "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("event delete",                                      "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("event delete, outside",                             "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("event delete, outside",                             "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("event attendance",                                  "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("event attendance, outside",                         "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("point",                                             "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("point, outside",                                    "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("point queue",                                       "GET",    200,   200,   404,   200,   403,   404, LOGIN),
    ("point queue, outside",                              "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("data entry",                                        "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("data entry",                                        "POST",   302,   302,   404,   403,   302,   404, LOGIN),
    ("data entry, outside",                               "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("data entry, outside",                               "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("approve value",                                     "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("approve value",                                     "POST",   302,   302,   404,   302,   403,   404, LOGIN),
    ("approve value, outside",                            "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("approve value, outside",                            "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("approve sheet",                                     "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("approve sheet",                                     "POST",   302,   302,   404,   302,   403,   404, LOGIN),
    ("approve sheet, outside",                            "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("approve sheet, outside",                            "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("points setup",                                      "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("points setup, outside",                             "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("point edit",                                        "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("point edit, outside",                               "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("point delete",                                      "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("point delete",                                      "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("point delete, outside",                             "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("point delete, outside",                             "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("indicators setup",                                  "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("indicators setup, outside",                         "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("standard indicators",                               "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("standard indicators",                               "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("standard indicators, outside",                      "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("standard indicators, outside",                      "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("indicator edit",                                    "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("indicator edit, outside",                           "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("indicator delete",                                  "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("indicator delete",                                  "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("indicator delete, outside",                         "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("indicator delete, outside",                         "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("values import",                                     "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("values import, outside",                            "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("values import confirm",                             "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("values import confirm",                             "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("values import confirm, outside",                    "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("values import confirm, outside",                    "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("values import job of the coordinator",              "GET",    404,   200,   404,   403,   403,   404, LOGIN),
    ("results import",                                    "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("results import, outside",                           "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("results import confirm",                            "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("results import confirm",                            "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("results import confirm, outside",                   "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("results import job of the coordinator",             "GET",    404,   200,   404,   403,   403,   404, LOGIN),
    ("values import template",                            "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("values import template, outside",                   "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("results template",                                  "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("remind who has not sent",                           "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("remind who has not sent",                           "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("remind who has not sent, outside",                  "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("remind who has not sent, outside",                  "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("program expertise",                                 "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("program expertise, outside",                        "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("criteria",                                          "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("criteria, outside",                                 "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("pairing assistant",                                 "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("pairing assistant, outside",                        "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("pairing accept",                                    "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("pairing accept",                                    "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("pairing accept, outside",                           "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("pairing accept, outside",                           "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("new contest",                                       "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("new contest, outside",                              "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("assign experts",                                    "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("assign experts, outside",                           "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("document changes",                                  "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("document changes, outside",                         "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("my sheets",                                         "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("expertise sheet",                                   "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("expertise sheet, outside",                          "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("bank",                                              "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("public bank",                                       "GET",    200,   200,   200,   200,   200,   200,   200),
    ("new practice",                                      "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("practice",                                          "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("practice, outside",                                 "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("public practice",                                   "GET",    200,   200,   200,   200,   200,   200,   200),
    ("public practice, not published",                    "GET",    404,   404,   404,   404,   404,   404,   404),
    ("public practice, not published, outside",           "GET",    404,   404,   404,   404,   404,   404,   404),
    ("practice edit",                                     "GET",    200,   200,   404,   403,   200,   404, LOGIN),
    ("practice edit, outside",                            "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("practice adopt",                                    "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("practice adopt",                                    "POST",   302,   302,   404,   302,   302,   404, LOGIN),
    ("practice adopt, outside",                           "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("practice adopt, outside",                           "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("practice into the bank",                            "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("practice into the bank",                            "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("practice into the bank, outside",                   "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("practice into the bank, outside",                   "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("practice file",                                     "GET",    200,   200,   404,   200,   200,   404,   404),
    ("practice file, outside",                            "GET",    200,   404,   200,   404,   404,   200,   404),
    ("contest",                                           "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("contest, outside",                                  "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("contest submit",                                    "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("contest submit",                                    "POST",   302,   302,   404,   302,   302,   404, LOGIN),
    ("contest submit, outside",                           "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("contest submit, outside",                           "POST",   302,   404,   302,   404,   404,   302, LOGIN),
    ("jury score",                                        "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("jury score",                                        "POST",   403,   403,   404,   302,   403,   404, LOGIN),
    ("jury score, outside",                               "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("jury score, outside",                               "POST",   403,   404,   403,   404,   404,   403, LOGIN),
    ("declare winner",                                    "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("declare winner",                                    "POST",   302,   302,   404,   403,   403,   404, LOGIN),
    ("declare winner, outside",                           "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("declare winner, outside",                           "POST",   302,   404,   302,   404,   404,   403, LOGIN),
    ("dashboard",                                         "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("dashboard, outside",                                "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("territory",                                         "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("indicator dashboard",                               "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("indicator dashboard, outside",                      "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("indicator chart",                                   "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("indicator chart, outside",                          "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("effectiveness",                                     "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("effectiveness, outside",                            "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("completeness",                                      "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("completeness, outside",                             "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("expertise dashboard",                               "GET",    200,   200,   404,   403,   403,   404, LOGIN),
    ("expertise dashboard, outside",                      "GET",    200,   404,   200,   404,   404,   403, LOGIN),
    ("report file of the coordinator",                    "GET",    404,   200,   404,   404,   404,   404, LOGIN),
    ("report file download of the coordinator",           "GET",    404,   302,   404,   404,   404,   404, LOGIN),
    ("passport",                                          "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("passport, outside",                                 "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("monitoring note",                                   "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("monitoring note, outside",                          "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("school report",                                     "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("school report, outside",                            "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("passport pdf",                                      "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("passport pdf, outside",                             "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("passport xlsx",                                     "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("passport xlsx, outside",                            "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("notices",                                           "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("bell",                                              "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("notice of the school's person",                     "GET",    404,   404,   404,   404,   302,   404, LOGIN),
    ("notice of the school's person, outside",            "GET",    404,   404,   404,   404,   404,   302, LOGIN),
    ("mark all read",                                     "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("mark all read",                                     "POST",   302,   302,   302,   302,   302,   302, LOGIN),
    ("notice settings",                                   "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("renew feed",                                        "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("renew feed",                                        "POST",   302,   302,   302,   302,   302,   302, LOGIN),
    ("invitations",                                       "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("new invitation",                                    "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("invitation search",                                 "GET",    200,   200,   200,   403,   403,   403, LOGIN),
    ("invitation resend",                                 "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("invitation resend",                                 "POST",   302,   302,   404,   404,   404,   404, LOGIN),
    ("invitation resend, outside",                        "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("invitation resend, outside",                        "POST",   302,   404,   302,   404,   404,   404, LOGIN),
    ("invitation accept",                                 "GET",    302,   302,   302,   302,   302,   302,   302),
    ("invitation accept, outside",                        "GET",    302,   302,   302,   302,   302,   302,   302),
    ("invitation accept, wrong link",                     "GET",    200,   200,   200,   200,   200,   200,   200),
    ("consultations",                                     "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("consultations, outside",                            "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("faq",                                               "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("faq, outside",                                      "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("consultation",                                      "GET",    200,   200,   404,   200,   200,   404, LOGIN),
    ("consultation, outside",                             "GET",    200,   404,   200,   404,   404,   200, LOGIN),
    ("personal feed",                                     "GET",    200,   200,   200,   200,   200,   200,   200),
    ("personal feed, outside",                            "GET",    200,   200,   200,   200,   200,   200,   200),
    ("personal feed, wrong token",                        "GET",    404,   404,   404,   404,   404,   404,   404),
    ("program feed of the school's person",               "GET",    200,   200,   200,   200,   200,   200,   200),
    ("program feed of the school's person, outside",      "GET",    404,   404,   404,   404,   404,   404,   404),
    ("api tokens",                                        "GET",    200,   200,   200,   200,   200,   200, LOGIN),
    ("api token revoke, the school's",                    "GET",    405,   405,   405,   405,   405,   405, LOGIN),
    ("api token revoke, the school's",                    "POST",   404,   404,   404,   404,   302,   404, LOGIN),
    ("open data",                                         "GET",    200,   200,   200,   200,   200,   200,   200),
    ("open data csv",                                     "GET",    200,   200,   200,   200,   200,   200,   200),
    ("open data csv, closed program",                     "GET",    404,   404,   404,   404,   404,   404,   404),
    ("open data csv, closed program, outside",            "GET",    404,   404,   404,   404,   404,   404,   404),
    ("open data json",                                    "GET",    200,   200,   200,   200,   200,   200,   200),
    ("open data meta",                                    "GET",    200,   200,   200,   200,   200,   200,   200),
    ("open data structure",                               "GET",    200,   200,   200,   200,   200,   200,   200),
    ("admin index",                                       "GET",  ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    ("admin sign-in page",                                "GET",    200,   200,   200,   200,   200,   200,   200),
    ("stored file for the admin",                         "GET",    404,   404,   404,   404,   404,   404, LOGIN),
    ("stored file for the admin, outside",                "GET",    404,   404,   404,   404,   404,   404, LOGIN),
    ("api root",                                          "GET",    404,   404,   404,   404,   404,   404,   404),
    ("api root, signed in, no token",                     "GET",    404,   404,   404,   404,   404,   404,   404),
    ("api root, bad token",                               "GET",    404,   404,   404,   404,   404,   404,   404),
    ("api description",                                   "GET",    200,   200,   200,   200,   200,   200,   200),
    ("api description, signed in, no token",              "GET",    200,   200,   200,   200,   200,   200,   200),
    ("api description, bad token",                        "GET",    200,   200,   200,   200,   200,   200,   200),
    ("api docs",                                          "GET",    200,   200,   200,   200,   200,   200,   200),
    ("api docs, signed in, no token",                     "GET",    200,   200,   200,   200,   200,   200,   200),
    ("api docs, bad token",                               "GET",    200,   200,   200,   200,   200,   200,   200),
    ("api regions",                                       "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api regions, signed in, no token",                  "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api regions, bad token",                            "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api municipalities",                                "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api municipalities, signed in, no token",           "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api municipalities, bad token",                     "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api programs",                                      "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api programs, signed in, no token",                 "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api programs, bad token",                           "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api program",                                       "GET",    200,   200,   404,   200,   200,   404,   401),
    ("api program, signed in, no token",                  "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api program, bad token",                            "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api program, outside",                              "GET",    200,   404,   200,   404,   404,   200,   401),
    ("api program figures",                               "GET",    200,   200,   404,   403,   403,   404,   401),
    ("api program figures, signed in, no token",          "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api program figures, bad token",                    "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api program figures, outside",                      "GET",    200,   404,   200,   404,   404,   403,   401),
    ("api schools",                                       "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api schools, signed in, no token",                  "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api schools, bad token",                            "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api pairs",                                         "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api pairs, signed in, no token",                    "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api pairs, bad token",                              "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api roadmaps",                                      "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api roadmaps, signed in, no token",                 "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api roadmaps, bad token",                           "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api items",                                         "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api items, signed in, no token",                    "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api items, bad token",                              "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api events",                                        "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api events, signed in, no token",                   "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api events, bad token",                             "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api indicators",                                    "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api indicators, signed in, no token",               "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api indicators, bad token",                         "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api points",                                        "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api points, signed in, no token",                   "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api points, bad token",                             "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api targets",                                       "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api targets, signed in, no token",                  "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api targets, bad token",                            "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api values",                                        "GET",    200,   200,   200,   200,   200,   200,   401),
    ("api values, signed in, no token",                   "GET",    401,   401,   401,   401,   401,   401,   401),
    ("api values, bad token",                             "GET",    401,   401,   401,   401,   401,   401,   401),
]
# fmt: on

# Routes with no row, each with the reason. A key «namespace:*» stands for the whole namespace.
EXCLUDED = {
    "admin:*": "Django admin: its own permission system, tests/test_admin.py",
}


@pytest.fixture
def places(world, scene):  # noqa: F811  (the fixture of tests.scene)
    return build_places(world, scene)


def answer(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    if response.status_code == 302 and response.url.startswith(reverse("admin:login")):
        return ADMIN
    return response.status_code


def client_for(label, places, name):
    """The client of person `name` (None: anonymous) for a row: signed in by session, or for
    the API's rows by the bearer token the row names."""
    user = places.world.people[name] if name else None
    if registered(label) in API:
        client = Client()
        if label.endswith(", signed in, no token") and user is not None:
            client.force_login(user)
        token = api_token_for(label, places, name)
        if token:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("label", "method", "expected"),
    [(row[0], row[1], dict(zip(PEOPLE, row[2:], strict=True))) for row in TABLE],
    ids=[f"{row[1]} {row[0]}" for row in TABLE],
)
def test_each_person_gets_exactly_the_answer_of_the_table(label, method, expected, places):
    url, data = build_request(label, places)
    got = {}
    for name in PEOPLE:
        client = client_for(label, places, name)
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data() if data else {})
            transaction.set_rollback(True)
        got[name] = answer(response)
        if got[name] == LOGIN and name is None:
            assert response.url.startswith(f"{reverse('login')}?next={quote(urlsplit(url).path)}")
    assert got == expected


def named_routes(resolver=None, namespace=None):
    """Every named route of the portal, by its full name («namespace:name»)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from named_routes(pattern, full)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _excluded(name):
    return name in EXCLUDED or f"{name.rsplit(':', 1)[0]}:*" in EXCLUDED


def test_every_route_has_a_row():
    """A route added without a row (or a row's label with no route) fails here, naming it."""
    labels = {registered(row[0]) for row in TABLE}
    unknown = sorted(labels - set(ROUTES))
    assert not unknown, f"rows whose label has no route in tests/permissions_rows.py: {unknown}"
    with_rows = {ROUTES[label][0] for label in labels}
    routes = set(named_routes())
    missing = sorted(name for name in routes - with_rows if not _excluded(name))
    assert not missing, f"routes without a row in the permission table: {missing}"
    gone = sorted(name for name in with_rows if name not in routes)
    assert not gone, f"rows of routes that no longer exist: {gone}"
    stale = sorted(key for key in EXCLUDED if not any(_excluded(name) for name in routes))
    assert not stale, f"EXCLUDED names routes that no longer exist: {stale}"


def test_every_row_is_asked_once():
    """Two rows of one label and method would hide each other's mistakes."""
    keys = [(row[0], row[1]) for row in TABLE]
    assert len(keys) == len(set(keys))
