"""How the sign-in lockout counts (core/lockout.py): by name and address, and by address over
all names, with the client's address taken correctly behind a proxy."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"


def sign_in(username, password, *, remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**headers).post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    return settings


def test_behind_a_proxy_one_attacker_does_not_lock_the_account_for_everyone(world, limits):
    limits.PROXY_COUNT = 1
    for _ in range(3):
        sign_in("school", "неверный", remote="10.0.0.1", forwarded="198.51.100.7")
    assert sign_in("school", PASSWORD, forwarded="198.51.100.7").status_code == 429
    # The same account from another client behind the same proxy signs in.
    assert (
        sign_in("school", PASSWORD, remote="10.0.0.1", forwarded="203.0.113.9").status_code == 302
    )


def test_behind_a_proxy_the_address_a_client_writes_itself_is_ignored(world, limits):
    limits.PROXY_COUNT = 1
    # The proxy appends the address it saw; what the attacker wrote stands to its left.
    for number in range(3):
        sign_in("school", "неверный", forwarded=f"192.0.2.{number}, 198.51.100.7")
    assert sign_in("school", PASSWORD, forwarded="192.0.2.200, 198.51.100.7").status_code == 429


def test_with_two_proxies_the_second_address_from_the_right_is_the_clients(world, limits):
    limits.PROXY_COUNT = 2
    for _ in range(3):
        sign_in("school", "неверный", forwarded="1.1.1.1, 198.51.100.7, 10.0.0.3")
    assert sign_in("school", PASSWORD, forwarded="198.51.100.7, 10.0.0.4").status_code == 429
    assert sign_in("school", PASSWORD, forwarded="198.51.100.8, 10.0.0.3").status_code == 302


def test_without_a_proxy_a_forged_header_changes_nothing(world, limits):
    limits.PROXY_COUNT = 0
    for number in range(3):
        sign_in("school", "неверный", forwarded=f"192.0.2.{number}")
    assert sign_in("school", PASSWORD, forwarded="192.0.2.99").status_code == 429


def test_one_password_sprayed_over_many_names_locks_the_address(world, limits):
    names = [f.UserFactory(username=f"teacher{n}").username for n in range(6)]
    for name in names[:5]:
        assert sign_in(name, "Qwerty123").status_code == 200
    # The attempt that reaches the limit is answered with the lockout page;
    assert sign_in(names[5], "Qwerty123").status_code == 429
    # then even a right password of a name never tried from here is refused from this address,
    assert sign_in("curator", PASSWORD).status_code == 429
    # and the same person from elsewhere signs in.
    assert sign_in("curator", PASSWORD, remote="10.0.0.99").status_code == 302


def test_signing_in_to_one_account_does_not_clear_the_addresss_count(world, limits):
    for _ in range(5):
        sign_in(f.UserFactory().username, "Qwerty123")
    assert sign_in("school", PASSWORD).status_code == 302
    sign_in(f.UserFactory().username, "Qwerty123")
    assert sign_in("curator", PASSWORD).status_code == 429
