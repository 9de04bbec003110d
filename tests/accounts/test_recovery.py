"""Password recovery by e-mail: the same answer for known and unknown addresses, one letter with
a one-use link, limits per address and per client, deactivated people get nothing, and a reset
ends every session."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.audit import Action
from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW = "Новый-пароль-2026"


@pytest.fixture
def person(world):
    world.school.email = "school@example.ru"
    world.school.save()
    return world.school


def ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def link(message):
    return re.search(r"http://[^\s]+/accounts/recovery/[^\s]+/", message.body).group(0)


def test_the_sign_in_page_links_to_recovery(db, client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_known_and_unknown_addresses_get_the_same_answer_and_only_the_known_a_letter(person):
    known = ask(Client(), "School@Example.ru")
    unknown = ask(Client(), "nobody@example.ru")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["school@example.ru"]]
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET_ASKED).count() == 2


def test_the_link_sets_a_password_once_and_ends_every_session(person):
    other_device = Client()
    other_device.force_login(person)
    assert other_device.get(reverse("home")).status_code == 200
    ask(Client(), "school@example.ru")
    visitor = Client()
    page = visitor.get(link(mail.outbox[0]), follow=True)
    assert page.context["validlink"]
    done = visitor.post(
        page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, target=person).exists()
    # The other device is signed out, and the link is spent.
    assert other_device.get(reverse("home")).status_code == 200
    assert other_device.get(reverse("schools:list")).status_code == 302
    assert not Client().get(link(mail.outbox[0]), follow=True).context["validlink"]


def test_letters_to_one_address_stop_at_the_limit_with_the_same_answer(person, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    answers = {ask(Client(REMOTE_ADDR=f"10.0.0.{i}"), "school@example.ru").url for i in range(4)}
    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 2


def test_one_client_is_told_to_wait_past_its_limit(person, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 3
    client = Client(REMOTE_ADDR="10.9.9.9")
    for i in range(3):
        ask(client, f"someone{i}@example.ru")
    response = ask(client, "school@example.ru")
    assert response.status_code == 200
    assert "Слишком много запросов" in response.content.decode()
    assert mail.outbox == []


def test_a_deactivated_person_gets_no_letter_and_an_old_link_is_dead(person):
    ask(Client(), "school@example.ru")
    person.is_active = False
    person.save()
    ask(Client(), "school@example.ru")
    assert len(mail.outbox) == 1
    page = Client().get(link(mail.outbox[0]), follow=True)
    assert not page.context["validlink"]
