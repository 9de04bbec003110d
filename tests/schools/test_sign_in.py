"""Signing in, out and changing the password, in Russian; the lockout after repeated failures,
through the real login view."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_sign_in_page_is_russian_and_names_the_lockout(client, settings):
    settings.AXES_FAILURE_LIMIT = 4
    page = client.get(reverse("login")).content.decode()
    assert "Вход в портал" in page
    assert "Имя пользователя" in page and "Пароль" in page
    assert "После 4 неудачных попыток подряд вход временно блокируется" in page


def test_a_person_signs_in_and_lands_on_the_page_they_asked_for(world, client):
    response = client.post(
        reverse("login") + "?next=/schools/",
        {"username": "school", "password": PASSWORD, "next": "/schools/"},
    )
    assert response.status_code == 302 and response.url == "/schools/"
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_in_russian(world, client):
    response = sign_in(client, "school", "неверный")
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_with_a_russian_page(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert sign_in(client, "school", "неверный").status_code == 200
    locked = sign_in(client, "school", "неверный")
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in page
    assert "на 15 минут" in page
    assert "«school»" in page
    assert "Traceback" not in page
    # While locked, even the right password does not let the person in.
    again = sign_in(client, "school", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_name(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, "school", "неверный")
    response = sign_in(client, "curator", PASSWORD)
    assert response.status_code == 302


def test_the_lockout_wears_off_after_the_cooloff(world, client, settings):
    import datetime

    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, "school", "неверный")
    assert sign_in(client, "school", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert sign_in(client, "school", PASSWORD).status_code == 302


def test_signing_out_takes_a_post_and_returns_to_sign_in(world, as_user):
    client = as_user(world.school)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    # Signed out, the root is the public entry, and the person's pages ask to sign in again.
    home = client.get(reverse("home"))
    assert [t.name for t in home.templates][0] == "base/public_home.html"
    assert client.get(reverse("programs:list")).status_code == 302


def test_the_password_is_changed_with_russian_errors_for_bad_input(world, as_user):
    client = as_user(world.school)
    url = reverse("password_change")
    refused = client.post(
        url,
        {"old_password": "не тот", "new_password1": "123", "new_password2": "321"},
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Ваш старый пароль введен неправильно" in page
    assert "Введенные пароли не совпадают" in page
    world.school.refresh_from_db()
    assert world.school.check_password(PASSWORD)

    new = "Осенний-лист-2024"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done.url == reverse("password_change_done")
    assert "Пароль изменён" in client.get(done.url).content.decode()
    world.school.refresh_from_db()
    assert world.school.check_password(new)
