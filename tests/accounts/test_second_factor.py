"""The second factor: who must have it when TWO_FACTOR_REQUIRED is on, enrolment after the
password before anything else, the code at each sign-in, backup codes, switching it on and off
for oneself, a coordinator's reset in their territory, and a letter on a new browser."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.audit import Action
from accounts.models import AuditEvent
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"
PAGE = "/schools/"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(user, agent="Mozilla/5.0 Firefox/140.0"):
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password is right"
    return client


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=0):06d}"


def enrol(client):
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(pk=client.session["portal_pending_totp"])
    done = client.post(reverse("accounts:enrol"), {"code": code_of(device), "next": PAGE})
    return device, done


@pytest.mark.parametrize(
    "person, must",
    [
        ("region", True),
        ("coordinator", True),
        ("other_coordinator", True),
        ("curator", False),
        ("school", False),
        ("outsider", False),
    ],
)
def test_who_must_have_a_second_factor(world, required, person, must):
    assert second_factor.is_required(world.people[person]) is must


def test_the_staff_of_a_programs_owner_and_the_admins_staff_must_too(world, required, settings):
    clerk = f.UserFactory(username="clerk")
    f.MembershipFactory(user=clerk, organization=world.authority, role=Membership.Role.STAFF)
    assert second_factor.is_required(clerk)
    assert second_factor.is_required(f.UserFactory(username="staff", is_staff=True))
    settings.TWO_FACTOR_REQUIRED = False
    assert not second_factor.is_required(clerk)


def test_a_coordinator_enrols_after_the_password_and_reaches_nothing_before(world, required):
    client = sign_in(world.coordinator)
    for url in (PAGE, "/", reverse("accounts:audit"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:enrol"))
    page = client.get(reverse("accounts:enrol"))
    assert "QR-код" in page.content.decode() and page.context["secret"]
    device, done = enrol(client)
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(len(code) == 8 for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(PAGE).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.SECOND_FACTOR_ENROLLED, target=world.coordinator
    ).exists()


def test_a_wrong_code_enrols_nothing(world, required):
    client = sign_in(world.coordinator)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert "Код не подошёл" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(PAGE).status_code == 302


def test_each_sign_in_then_asks_for_a_code_or_a_backup_code(world, required):
    _, done = enrol(sign_in(world.coordinator))
    backup = done.context["codes"][0]
    client = sign_in(world.coordinator)
    response = client.get(PAGE)
    assert response.url.startswith(reverse("accounts:verify"))
    wrong = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert "Код не подошёл" in wrong.content.decode()
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR_FAILED).exists()
    # django-otp slows down guessing after a failure; the next try comes a while later.
    for each in devices_for_user(world.coordinator):
        each.throttle_reset()
    assert client.post(reverse("accounts:verify"), {"code": backup, "next": PAGE}).url == PAGE
    assert client.get(PAGE).status_code == 200
    # A backup code serves once.
    again = sign_in(world.coordinator)
    assert (
        "Код не подошёл"
        in again.post(reverse("accounts:verify"), {"code": backup}).content.decode()
    )


def test_anyone_may_switch_it_on_and_off_for_themselves(world, required):
    client = sign_in(world.school)
    assert client.get(PAGE).status_code == 200
    enrol(client)
    later = sign_in(world.school)
    assert later.get(PAGE).url.startswith(reverse("accounts:verify"))
    client.post(reverse("accounts:second_factor"), {"remove": "1"})
    assert not second_factor.has_device(world.school)
    assert sign_in(world.school).get(PAGE).status_code == 200


def test_a_coordinator_may_not_switch_it_off(world, required):
    client = sign_in(world.coordinator)
    enrol(client)
    assert client.post(reverse("accounts:second_factor"), {"remove": "1"}).status_code == 403
    assert second_factor.has_device(world.coordinator)


def _reset_url(person):
    return reverse("accounts:second_factor_reset", args=[person.pk])


def test_a_coordinator_resets_a_lost_factor_in_their_territory(world, as_user):
    enrol(sign_in(world.school))
    assert as_user(world.other_coordinator).post(_reset_url(world.school)).status_code == 404
    assert as_user(world.curator).post(_reset_url(world.school)).status_code == 403
    assert second_factor.has_device(world.school)
    coordinator = as_user(world.coordinator)
    people = coordinator.get(reverse("accounts:people")).content.decode()
    assert "Сбросить второй фактор" in people
    coordinator.post(_reset_url(world.school))
    assert not second_factor.has_device(world.school)
    event = AuditEvent.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert event.actor == world.coordinator and event.target == world.school


@pytest.mark.parametrize("person", ["curator", "school", "outsider"])
def test_the_people_page_is_the_coordinators(world, as_user, person):
    assert as_user(world.people[person]).get(reverse("accounts:people")).status_code == 403


def test_a_letter_tells_of_a_sign_in_from_a_new_browser(world):
    world.school.email = "school@example.ru"
    world.school.save()
    sign_in(world.school, agent="Firefox/140.0")
    sign_in(world.school, agent="Firefox/140.0")
    assert mail.outbox == []
    sign_in(world.school, agent="Chrome/141.0")
    assert [m.to for m in mail.outbox] == [["school@example.ru"]]
    assert re.search("нового браузера", mail.outbox[0].subject)
    assert "Chrome/141.0" in mail.outbox[0].body
