import pytest


@pytest.fixture
def world(world):
    """The shared `world`, its setting-up left out of the audit trail (its places of work would
    otherwise be the first events of every test)."""
    from accounts.models import AuditEvent

    AuditEvent.objects.all().delete()
    return world
