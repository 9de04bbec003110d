"""Browser tests drive Debian's chromium through Playwright (no browser download is possible
on these machines), against Django's live server."""

import os
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from pytest_django.live_server_helper import LiveServer

from tests.scene import factors, scene  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright runs an event loop in the test thread; the ORM calls the tests make around it are
# synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class TakingTurns(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    With SQLite in memory the database is one connection, shared by the test and by every
    thread of the live server. Each request is a transaction (ATOMIC_REQUESTS), inside the
    test's: a savepoint on that connection. Two requests at once — a page's htmx parts still
    loading while the browser moves on, which a loaded machine makes likely — interleave their
    savepoints, and releasing one releases the other: the second request fails with «no such
    savepoint» (a 500), and the click that waited for it times out. Connections are still
    served by threads (a browser opens several and keeps them alive); the application inside
    takes the requests in turn."""

    def set_app(self, application):
        turn = threading.Lock()

        def in_turn(environ, start_response):
            with turn:
                return application(environ, start_response)

        super().set_app(in_turn)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, taking requests in turn (`TakingTurns`)."""
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.server_class = TakingTurns
    server.start()
    yield server
    server.stop()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def sign_in(live_server, page):
    """Sign in through the real login form and land on the home page."""

    def do(username, password="пароль-для-тестов"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Имя пользователя").fill(username)
        page.get_by_label("Пароль").fill(password)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
