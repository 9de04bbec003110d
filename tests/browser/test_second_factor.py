"""A coordinator's second factor in a real browser: enrolment after the password with the QR
code's key, then a sign-in with a code computed from that key."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def code_from(secret, ahead=0):
    """What an authenticator app shows for the key the page printed (base32, in groups), now or
    `ahead` thirty-second steps later."""
    key = secret.replace(" ", "")
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key, step=30, digits=6, drift=ahead):06d}"


def test_a_coordinator_enrols_and_signs_in_with_a_code(world, live_server, page, settings):
    settings.TWO_FACTOR_REQUIRED = True
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill("coordinator")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/accounts/second-factor/enrol/**")
    expect(page.get_by_alt_text("QR-код для приложения-аутентификатора")).to_be_visible()
    # Nothing else opens before enrolment.
    page.goto(f"{live_server.url}/schools/")
    page.wait_for_url("**/accounts/second-factor/enrol/**")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Код").fill(code_from(secret))
    page.get_by_role("button", name="Подключить").click()
    expect(page.get_by_role("heading", name="Резервные коды")).to_be_visible()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="Продолжить").click()
    expect(page.get_by_role("heading", name="Школы")).to_be_visible()

    page.context.clear_cookies()  # another day, the session long over
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill("coordinator")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/accounts/second-factor/?**")
    # A code is accepted once: the sign-in gives the next one (within the allowed drift),
    # as a person signing in half a minute later would.
    page.get_by_label("Код").fill(code_from(secret, ahead=1))
    page.get_by_role("button", name="Подтвердить").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Вектор на развитие").first).to_be_visible()
