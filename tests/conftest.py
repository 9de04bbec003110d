"""Shared fixtures: a small territory with the people the access rules are about.

`world` is one region with two municipalities. The program belongs to the first municipality;
its pair is a curator school supporting a school that has a branch. The people:
- region_coordinator: coordinator at the regional ministry (sees and changes the whole region);
- coordinator: coordinator at the municipal authority that runs the program;
- other_coordinator: coordinator of the other municipality (the program is outside their reach);
- curator: staff of the curator school, appointed curator of the pair;
- school: staff of the supported school;
- outsider: staff of a school in the other municipality.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from programs.models import Participant
from schools.models import Membership

from . import factories as f
from .workers import task_backend  # noqa: F401  (a fixture for every test folder)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """PBKDF2 takes about a second per user; seven users per `world` made every test slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """The second factor is required only where a test says so (tests/accounts): whoever signs
    in elsewhere reaches their pages with the password alone, as in `make run`."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids repeat between tests, cached figures must not."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def admins_left_as_found():
    """The registered admins are one instance each for every test of a process: an attribute a
    test sets on one (a stubbed `message_user`) would change every later test of the process.
    A test that leaves one changed fails here."""
    from django.contrib import admin

    before = {model: dict(vars(model_admin)) for model, model_admin in admin.site._registry.items()}
    yield
    after = {model: dict(vars(model_admin)) for model, model_admin in admin.site._registry.items()}
    assert after == before, "a test left a registered admin changed"


@pytest.fixture
def world(db):
    region = f.RegionFactory(name="Ханты-Мансийский автономный округ – Югра", code="86")
    municipality = f.MunicipalityFactory(region=region, name="Сургутский район")
    other_municipality = f.MunicipalityFactory(region=region, name="г. Мегион")
    ministry = f.AuthorityFactory(
        region=region, municipality=None, short_name="Департамент образования Югры"
    )
    authority = f.AuthorityFactory(municipality=municipality, short_name="ДОиМП Сургутского района")
    other_authority = f.AuthorityFactory(
        municipality=other_municipality, short_name="ДОиМП г. Мегиона"
    )
    program = f.ProgramFactory(owner=authority, short_title="Вектор на развитие")
    curator_school = f.OrganizationFactory(
        municipality=municipality, short_name="МБОУ «Нижнесортымская СОШ»"
    )
    supported_school = f.OrganizationFactory(
        municipality=municipality, short_name="МБОУ «Русскинская СОШ»"
    )
    branch = f.OrganizationFactory(
        municipality=municipality, parent=supported_school, short_name="филиал «Русскинская НШ»"
    )
    outsider_school = f.OrganizationFactory(
        municipality=other_municipality, short_name="МАОУ «СОШ №2»"
    )
    pair = f.CuratorPairFactory(
        program=program, curator_school=curator_school, supported_school=supported_school
    )
    f.ParticipantFactory(
        program=program, organization=supported_school, role=Participant.Role.SUPPORTED
    )
    f.ParticipantFactory(
        program=program, organization=curator_school, role=Participant.Role.CURATOR
    )

    def member(username, organization, role=Membership.Role.STAFF):
        user = f.UserFactory(username=username)
        f.MembershipFactory(user=user, organization=organization, role=role)
        return user

    region_coordinator = member("region", ministry, Membership.Role.COORDINATOR)
    coordinator = member("coordinator", authority, Membership.Role.COORDINATOR)
    other_coordinator = member("other_coordinator", other_authority, Membership.Role.COORDINATOR)
    curator = member("curator", curator_school)
    f.CuratorFactory(pair=pair, user=curator, organization=curator_school)
    school = member("school", supported_school)
    outsider = member("outsider", outsider_school)

    return SimpleNamespace(
        region=region,
        municipality=municipality,
        other_municipality=other_municipality,
        ministry=ministry,
        authority=authority,
        other_authority=other_authority,
        program=program,
        curator_school=curator_school,
        supported_school=supported_school,
        branch=branch,
        outsider_school=outsider_school,
        pair=pair,
        region_coordinator=region_coordinator,
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        curator=curator,
        school=school,
        outsider=outsider,
        people={
            "region": region_coordinator,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "curator": curator,
            "school": school,
            "outsider": outsider,
        },
    )


@pytest.fixture
def as_user():
    """A test client signed in as the given user (None: anonymous)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="admin", is_superuser=True, is_staff=True)
