import pytest

from tests.scene import factors, scene  # noqa: F401

from .reporting import fill_program


@pytest.fixture
def filled(world):
    """The world's program filled with what the reports read (`reporting.fill_program`)."""
    return fill_program(world)


@pytest.fixture
def subjects(world, filled):
    """The subject of each kind of report, by its slug."""
    return {
        "passport": world.program,
        "roadmap": filled.roadmap,
        "note": filled.points.spring,
        "half-year": world.program,
        "school": world.supported_school,
        "events": world.program,
    }
