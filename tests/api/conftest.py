"""The people of `world` each with an API token, and a client that sends it."""

import pytest
from django.test import Client

from api.services import issue_token
from tests.scene import factors, scene  # noqa: F401


class BearerClient:
    """A test client that sends `Authorization: Bearer <token>` with every request."""

    def __init__(self, raw):
        self.raw = raw
        self.client = Client()

    def get(self, path, data=None):
        return self.client.get(path, data, HTTP_AUTHORIZATION=f"Bearer {self.raw}")


@pytest.fixture
def bearer():
    """A client with a fresh token of the given user."""

    def make(user, days=30):
        _, raw = issue_token(user, "тест", days)
        return BearerClient(raw)

    return make
