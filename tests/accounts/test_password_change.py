"""The password-change form counts a wrong old password as a failed sign-in (django-axes): a
stolen session cannot guess the account's password there."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"
NEW = "Новый-пароль-2026"


def change(client, old):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
    )


def test_wrong_old_passwords_lock_the_form_and_the_right_one_then_fails(world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    client.force_login(world.school)
    for _ in range(5):
        change(client, "не-тот")
    assert AccessAttempt.objects.filter(username="school").exists()
    change(client, PASSWORD)
    world.school.refresh_from_db()
    assert world.school.check_password(PASSWORD)
    assert not world.school.check_password(NEW)
    # The sign-in page counts the same failures: the name is locked there too.
    signing_in = Client().post(reverse("login"), {"username": "school", "password": PASSWORD})
    assert signing_in.status_code == 429 or "заблокирован" in signing_in.content.decode().lower()


def test_a_few_mistakes_then_the_right_password_change_it(world):
    client = Client()
    client.force_login(world.school)
    response = change(client, "не-тот")
    assert "неправильно" in response.content.decode().lower()
    assert change(client, PASSWORD).status_code == 302
    world.school.refresh_from_db()
    assert world.school.check_password(NEW)
