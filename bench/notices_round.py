"""Benchmark: one notification round on a program of many schools.

Builds, in a throw-away test database, a municipal program with N supported schools (default
1,000), each with two staff members and a curator, a roadmap item due in 7 days, one late since
yesterday, one submitted value waiting more than 48 hours, and an event 3 days ahead inviting
every school. Then it times the first round (everything is new: each person's access rule is
asked once per kind) and a second round (everything already told: the round skips it before
asking anyone), and counts queries.

    python bench/notices_round.py [--schools N] [--json FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal python bench/notices_round.py

`--json FILE` writes `first_s`, `first_queries`, `steady_s`, `steady_queries` (and the notices
made), beside the yardstick of the same run — one query, timed the same way — the seconds the
data took to build (`build_s`), and the goals: the first round at 9,000 schools under 60 s, a
steady one under 1 s.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(n):
    from django.contrib.auth import get_user_model

    from monitoring.models import Indicator, Measurement, MonitoringPoint
    from programs.models import Curator, CuratorPair, Participant, Program
    from roadmaps.models import Event, Roadmap, RoadmapItem
    from schools.models import Membership, Municipality, Organization, Region

    User = get_user_model()
    region = Region.objects.create(name="Регион", code="99", timezone="Asia/Yekaterinburg")
    municipality = Municipality.objects.create(region=region, name="Район")
    authority = Organization.objects.create(
        name="Управление",
        short_name="Управление",
        kind="authority",
        region=region,
        municipality=municipality,
    )
    program = Program.objects.create(
        title="Программа",
        short_title="Программа",
        level="municipal",
        owner=authority,
        region=region,
        municipality=municipality,
    )
    coordinator = User.objects.create(username="coordinator", email="c@example.ru")
    Membership.objects.create(user=coordinator, organization=authority, role="coordinator")
    schools = Organization.objects.bulk_create(
        Organization(
            name=f"Школа {i}",
            short_name=f"СОШ {i}",
            kind="school",
            region=region,
            municipality=municipality,
        )
        for i in range(2 * n)
    )
    supported, curating = schools[:n], schools[n:]
    Participant.objects.bulk_create(
        Participant(program=program, organization=s, role="supported") for s in supported
    )
    pairs = CuratorPair.objects.bulk_create(
        CuratorPair(program=program, curator_school=c, supported_school=s)
        for s, c in zip(supported, curating, strict=True)
    )
    users = User.objects.bulk_create(
        User(username=f"u{i}", email=f"u{i}@example.ru") for i in range(3 * n)
    )
    Membership.objects.bulk_create(
        [Membership(user=users[2 * i], organization=s) for i, s in enumerate(supported)]
        + [Membership(user=users[2 * i + 1], organization=s) for i, s in enumerate(supported)]
        + [Membership(user=users[2 * n + i], organization=c) for i, c in enumerate(curating)]
    )
    Curator.objects.bulk_create(
        Curator(pair=p, user=users[2 * n + i], organization=p.curator_school)
        for i, p in enumerate(pairs)
    )
    today = timezone.localtime(timezone.now(), datetime.timezone(datetime.timedelta(hours=5)))
    today = today.date()
    roadmap = Roadmap.objects.create(program=program, level="program", title="План")
    items = RoadmapItem.objects.bulk_create(
        RoadmapItem(roadmap=roadmap, title=f"Пункт {i}", due_on=today + datetime.timedelta(days=d))
        for i in range(n)
        for d in (7, -1)
    )
    through = RoadmapItem.responsible.through
    through.objects.bulk_create(
        through(item_id=item.pk, organization_id=supported[i // 2].pk)
        for i, item in enumerate(items)
    )
    indicator = Indicator.objects.create(program=program, code="1", title="Доля", unit="percent")
    point = MonitoringPoint.objects.create(program=program, title="Точка", date=today)
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            point=point,
            organization=s,
            value=50,
            status="submitted",
            submitted_at=timezone.now() - datetime.timedelta(days=3),
        )
        for s in supported
    )
    event = Event.objects.create(
        program=program,
        title="Семинар",
        kind="seminar",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    event.invited.add(*supported)


def timed_round():
    from notices.service import run_round

    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        start = time.perf_counter()
        created, _, _ = run_round(mail=False)
        seconds = time.perf_counter() - start
    return created, seconds, count[0]


def one_query():
    """The yardstick: the median time of one query, in this process."""
    from schools.models import Region

    times = []
    for _ in range(15):
        start = time.perf_counter()
        Region.objects.count()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    args = parser.parse_args()
    settings.DEBUG = False
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(tempfile.gettempdir()) / "portal_bench_notices.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        build(args.schools)
        built = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yardstick = one_query()
        print(
            f"База: {connection.vendor}; школ адресной поддержки: {args.schools}; эталон — "
            f"один запрос: {yardstick * 1000:.2f} мс; данные построены за {built:.1f} с"
        )
        figures = {
            "database": connection.vendor,
            "schools": args.schools,
            "yardstick_ms": round(yardstick * 1000, 3),
            "build_s": round(built, 1),
            "goal": "first_s < 60 at 9,000 schools; steady_s < 1",
        }
        for title, key in (
            ("первый обход (всё новое)", "first"),
            ("второй обход (всё уже сказано)", "steady"),
        ):
            created, seconds, queries = timed_round()
            print(
                f"{title:34} {seconds:7.2f} с ({seconds / yardstick:9.0f} × эталон)  "
                f"уведомлений: {created:6d}  запросов: {queries}"
            )
            figures |= {
                f"{key}_s": round(seconds, 2),
                f"{key}_ratio": round(seconds / yardstick),
                f"{key}_queries": queries,
                f"{key}_notices": created,
            }
        if args.json:
            Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
