import pytest


@pytest.fixture
def people(world):
    """The `world` people, each with an e-mail address."""
    for name, user in world.people.items():
        user.email = f"{name}@example.ru"
        user.save(update_fields=["email"])
    return world
