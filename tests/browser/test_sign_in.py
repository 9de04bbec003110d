import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_school_staff_signs_in_and_sees_only_their_programs(world, sign_in, live_server):
    page = sign_in("school")
    expect(page.get_by_role("heading", name="Мои программы")).to_be_visible()
    expect(page.get_by_role("link", name="Вектор на развитие")).to_be_visible()
    page.get_by_role("link", name="Вектор на развитие").click()
    expect(page.get_by_text(world.program.title)).to_be_visible()


def test_a_wrong_password_is_refused_in_russian(world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill("school")
    page.get_by_label("Пароль").fill("неверный")
    page.get_by_role("button", name="Войти").click()
    expect(
        page.get_by_text("Пожалуйста, введите правильные имя пользователя и пароль")
    ).to_be_visible()
