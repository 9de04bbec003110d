"""Sessions: tied to their users with browser and address; an idle timeout beside the absolute
one; a page listing them that ends the others; a password change ends the others too."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from qsessions.models import Session

from accounts.audit import Action
from accounts.models import AuditEvent
from accounts.sessions import LAST_SEEN

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"
URL = "/accounts/sessions/"


def signed_in(user, agent, address):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/141.0.0.0 Safari/537.36"
)


def test_a_person_sees_their_sessions_with_browser_and_address(world):
    office = signed_in(world.school, FIREFOX, "10.0.0.1")
    signed_in(world.school, CHROME, "10.0.0.2")
    signed_in(world.curator, CHROME, "10.0.0.3")
    page = office.get(URL).content.decode()
    assert "Firefox 140" in page and "Chrome 141" in page
    assert "10.0.0.1" in page and "10.0.0.2" in page and "10.0.0.3" not in page
    assert page.count("этот сеанс") == 1


def test_ending_the_others_keeps_this_one(world):
    office = signed_in(world.school, FIREFOX, "10.0.0.1")
    shared = signed_in(world.school, CHROME, "10.0.0.2")
    colleague = signed_in(world.curator, CHROME, "10.0.0.3")
    office.post(URL)
    assert office.get(reverse("schools:list")).status_code == 200
    assert shared.get(reverse("schools:list")).status_code == 302
    assert colleague.get(reverse("schools:list")).status_code == 200
    assert Session.objects.filter(user=world.school).count() == 1
    assert AuditEvent.objects.filter(action=Action.SESSIONS_ENDED, actor=world.school).exists()


def test_a_password_change_ends_the_other_sessions(world):
    office = signed_in(world.school, FIREFOX, "10.0.0.1")
    shared = signed_in(world.school, CHROME, "10.0.0.2")
    new = "Новый-пароль-2026"
    office.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert office.get(reverse("schools:list")).status_code == 200
    assert shared.get(reverse("schools:list")).status_code == 302
    assert Session.objects.filter(user=world.school).count() == 1


def test_a_session_unused_past_the_idle_minutes_ends(world, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client = signed_in(world.school, FIREFOX, "10.0.0.1")
    assert client.get(reverse("schools:list")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("schools:list")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("schools:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("schools:list")).status_code == 302


def test_the_page_is_each_persons_own(world, as_user):
    for person in world.people.values():
        assert as_user(person).get(URL).status_code == 200
    assert Client().get(URL).status_code == 302
