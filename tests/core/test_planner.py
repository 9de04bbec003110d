"""JIT compiling is off for the queries inside `core.planner.without_jit` only, and the
monitoring note's data step runs inside it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.planner import without_jit
from reports.kinds import KINDS
from tests import factories as f

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="JIT is PostgreSQL's; elsewhere nothing to turn off"
)


def jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_jit_is_off_inside_and_as_it_was_after():
    before = jit()
    with without_jit():
        assert jit() == "off"
    assert jit() == before


def test_elsewhere_the_block_just_runs(db):
    with without_jit():
        assert f.RegionFactory().pk


@postgres_only
def test_the_notes_data_step_runs_without_jit(world):
    point = f.MonitoringPointFactory(program=world.program)
    f.MeasurementFactory(
        indicator=f.IndicatorFactory(program=world.program),
        point=point,
        organization=world.supported_school,
    )
    with CaptureQueriesContext(connection) as captured:
        KINDS["note"].build(point, world.coordinator)
    sql = [query["sql"] for query in captured.captured_queries]
    first_value_query = next(n for n, q in enumerate(sql) if "monitoring_measurement" in q)
    assert any("SET LOCAL jit = off" in q for q in sql[:first_value_query])
