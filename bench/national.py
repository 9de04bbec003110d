"""Benchmark: the portal's busiest pages on a national-scale program («500+»).

Builds, in a throw-away test database, one federal program with 3,000 supported schools and
2,000 curator schools in 84 regions (840 municipalities), 3,000 pairs, 15 entered indicators and
the 6 computed effectiveness indicators, 3 monitoring points with every value entered (135,000),
a roadmap of 30 items per school (90,000 items), 40 events with invitations and attendance and a
document per school — all with bulk_create. Then it times, through Django's test client in this
process, the median of several runs of:

- the national dashboard (the program's owner, the whole program);
- a municipality's dashboard (its coordinator, the program narrowed to the municipality);
- a school page (URL name `schools:organization`);
- the territory list of schools (`schools:list`, all 5,000 schools, as an administrator);

each also as a ratio to a page that makes one query, measured the same way; the dashboards, the
point page and the federal home are timed again right after a value of a school in their scope is
saved (`after_save_ms`: the figures the save touched are computed by that request).

`--scale K` builds K times the program (3,000 × K supported and 2,000 × K curator schools, their
pairs, roadmaps, values and documents; the same 84 regions): the goals hold at `--scale 3`.

Run it against each database by DATABASE_URL (from the project folder):

    python bench/national.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal python bench/national.py

It creates test_<name> (PostgreSQL) or a temporary SQLite file and drops it at the end; the
database named in DATABASE_URL is not touched. `--keepdb` keeps the built program instead, in
test_bench_scale_<K> (or a SQLite file of that name), and a later run with `--keepdb` migrates
it and measures it without building again (`--scale 3` takes about 15–25 minutes to build); the
imports and deletes it times are rolled back, so a kept program stays as built. `--runs N` sets the number of timed runs.
`--only delete` adds the delete of 10,000 values of a point as the admin does it (with history
and change marks). `--only import` times only the values import of every school at one point: the plan and the
write of 45,000 changed values, then of 45,000 new ones (the point's first import).
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

# The «500+» program at --scale 1; --scale K builds K times its schools (with their pairs,
# roadmaps, values and documents) in the same 84 regions.
SUPPORTED, CURATORS = 3000, 2000
REGIONS, MUNICIPALITIES_PER_REGION = 84, 10
INDICATORS, ITEMS_PER_SCHOOL, EVENTS = 15, 30, 40


def one_query(request):
    """The yardstick: a page that makes one query of its own."""
    from schools.models import Region

    return HttpResponse(f"{Region.objects.count()}")


urlpatterns = [
    path("bench/one-query/", one_query, name="bench_one_query"),
    path("", include("config.urls")),
]


def kept_name(scale):
    """The database a `--keepdb` run keeps the program of `--scale K` in."""
    return f"test_bench_scale_{scale}"


def open_database(scale, keepdb):
    """Create the throw-away database, or with `keepdb` open (and migrate) the kept one of this
    scale; returns the name to restore at the end."""
    if keepdb:
        name = kept_name(scale)
        if connection.vendor == "sqlite":
            name = str(Path(tempfile.gettempdir()) / f"{name}.sqlite3")
        connection.settings_dict["TEST"]["NAME"] = name
    elif connection.vendor == "sqlite":
        # A file, like the embedded run, not an in-memory database.
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(tempfile.gettempdir()) / "portal_bench.sqlite3"
        )
    return connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=keepdb
    )


def close_database(old_name, keepdb):
    if keepdb:
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = old_name
        connection.settings_dict["NAME"] = old_name
    else:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def built_or_build(scale):
    """The program of a kept database (`--keepdb`), found as `build` returns it, or a new one."""
    from monitoring.models import Measurement, MonitoringPoint
    from programs.models import Program
    from roadmaps.models import Event
    from schools.models import Organization

    program = Program.objects.filter(short_title="500+").first()
    if program is None:
        return build(scale)
    expected = INDICATORS * SUPPORTED * scale * 3
    if Measurement.objects.filter(point__program=program).count() < expected:
        # A build stopped half-way: measuring it would time another program.
        raise SystemExit(
            f"{connection.settings_dict['NAME']} holds an unfinished build: drop it and run again."
        )
    home = Organization.objects.get(short_name="Управление образования района").municipality
    school = (
        Organization.objects.filter(short_name__startswith="СОШ", municipality=home)
        .order_by("pk")
        .first()
    )
    people = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["federal", "municipal", "admin"])
    }
    event = Event.objects.filter(program=program).order_by("pk").first()
    point = MonitoringPoint.objects.filter(program=program).order_by("date", "pk")[1]
    if connection.vendor == "postgresql":
        # Each earlier run's rolled-back imports left 270,000 dead rows in the values and their
        # history, faster than autovacuum clears them: cleared first, as a table in use is.
        with connection.cursor() as cursor:
            for model in (Measurement, Measurement.history.model):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    print(f"The kept program of --scale {scale}: {connection.settings_dict['NAME']}.")
    return program, school, people, event, point


def build(scale=1):
    from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
    from monitoring.standard import add_standard_indicators
    from programs.models import (
        Agreement,
        CuratorPair,
        Document,
        Module,
        Participant,
        Program,
    )
    from roadmaps.models import Attendance, Event, ItemExecution, Roadmap, RoadmapItem
    from schools.models import Membership, Municipality, Organization, Region, SchoolStatus

    started = time.perf_counter()
    regions = Region.objects.bulk_create(
        Region(name=f"Регион {n:02d}", code=f"{n:02d}", timezone="Europe/Moscow")
        for n in range(1, REGIONS + 1)
    )
    municipalities = Municipality.objects.bulk_create(
        Municipality(region=region, name=f"Район {n} ({region.code})")
        for region in regions
        for n in range(MUNICIPALITIES_PER_REGION)
    )
    ministry = Organization.objects.create(
        kind=Organization.Kind.AUTHORITY,
        region=regions[0],
        short_name="Минпросвещения России",
        name="Министерство просвещения Российской Федерации",
    )
    home = municipalities[5]
    municipal_authority = Organization.objects.create(
        kind=Organization.Kind.AUTHORITY,
        region=home.region,
        municipality=home,
        short_name="Управление образования района",
        name="Управление образования района",
    )

    def school(n, prefix):
        m = municipalities[n % len(municipalities)]
        return Organization(
            kind=Organization.Kind.SCHOOL,
            region_id=m.region_id,
            municipality=m,
            short_name=f"{prefix} № {n}",
            name=f"Муниципальное общеобразовательное учреждение {prefix} № {n}",
            inn=f"{7700000000 + n + (0 if prefix == 'СОШ' else 500000)}",
        )

    supported_count, curator_count = SUPPORTED * scale, CURATORS * scale
    supported = Organization.objects.bulk_create(
        (school(n, "СОШ") for n in range(supported_count)), batch_size=5000
    )
    curators = Organization.objects.bulk_create(
        (school(n, "Гимназия") for n in range(curator_count)), batch_size=5000
    )
    SchoolStatus.objects.bulk_create(
        (
            SchoolStatus(school=s, year=2022, category=SchoolStatus.Category.LOW_RESULTS)
            for s in supported
        ),
        batch_size=5000,
    )
    program = Program.objects.create(
        title="Адресная методическая помощь школам с низкими образовательными результатами",
        short_title="500+",
        level=Program.Level.FEDERAL,
        owner=ministry,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
    )
    Participant.objects.bulk_create(
        [Participant(program=program, organization=s, role="supported") for s in supported]
        + [Participant(program=program, organization=c, role="curator") for c in curators],
        batch_size=2000,
    )
    pairs = CuratorPair.objects.bulk_create(
        (
            CuratorPair(
                program=program, curator_school=curators[n % curator_count], supported_school=s
            )
            for n, s in enumerate(supported)
        ),
        batch_size=5000,
    )
    Agreement.objects.bulk_create(
        (
            Agreement(pair=p, number=str(n), signed_on=datetime.date(2023, 2, 1))
            for n, p in enumerate(pairs)
            if n % 3
        ),
        batch_size=5000,
    )
    modules = Module.objects.bulk_create(
        Module(program=program, title=title, order=n)
        for n, title in enumerate(
            [
                "Управленческий",
                "Организационный",
                "Информационно-методический",
                "Кадровый",
                "Оценочный",
            ]
        )
    )
    roadmaps = Roadmap.objects.bulk_create(
        (
            Roadmap(
                program=program,
                level=Roadmap.Level.SCHOOL,
                organization=s,
                title=f"ДК {s.short_name}",
            )
            for s in supported
        ),
        batch_size=5000,
    )
    statuses = ["done", "done", "in_progress", "planned", "not_done", "cancelled"]
    items = RoadmapItem.objects.bulk_create(
        (
            RoadmapItem(
                roadmap=roadmap,
                module=modules[n % len(modules)],
                number=f"{n + 1}.",
                order=n,
                title=f"Мероприятие {n + 1} дорожной карты школы",
                schedule_text="Март – май 2023",
                starts_on=None,
                due_on=datetime.date(2023, 1 + n % 12, 28),
                status=statuses[n % len(statuses)],
                completed_on=datetime.date(2023, 5, 1)
                if statuses[n % len(statuses)] == "done"
                else None,
            )
            for roadmap in roadmaps
            for n in range(ITEMS_PER_SCHOOL)
        ),
        batch_size=5000,
    )
    ItemExecution.objects.bulk_create(
        (
            ItemExecution(
                item_id=item.pk,
                organization_id=item.roadmap.organization_id,
                status=item.status,
                completed_on=item.completed_on,
            )
            for item in items
        ),
        batch_size=5000,
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(program=program, code=str(n + 1), title=f"Показатель {n + 1}", order=n)
        for n in range(INDICATORS)
    )
    add_standard_indicators(program)
    points = MonitoringPoint.objects.bulk_create(
        [
            MonitoringPoint(
                program=program,
                title="Базовое значение",
                date=datetime.date(2022, 12, 31),
                kind="baseline",
            ),
            MonitoringPoint(
                program=program,
                title="31.05.2023",
                date=datetime.date(2023, 5, 31),
                entry_deadline=datetime.date(2023, 6, 10),
            ),
            MonitoringPoint(
                program=program,
                title="29.12.2023",
                date=datetime.date(2023, 12, 29),
                kind="final",
                entry_deadline=datetime.date(2024, 1, 15),
            ),
        ]
    )
    Target.objects.bulk_create(
        Target(indicator=i, point=p, value=50 + 5 * k)
        for i in indicators
        for k, p in enumerate(points[1:])
    )
    submitted = timezone.now() - datetime.timedelta(days=30)
    Measurement.objects.bulk_create(
        (
            Measurement(
                indicator=indicator,
                point=point,
                organization=s,
                value=(n * 7 + k * 13 + int(indicator.code) * 3) % 100,
                status="submitted",
                submitted_at=submitted,
            )
            for n, s in enumerate(supported)
            for indicator in indicators
            for k, point in enumerate(points)
        ),
        batch_size=5000,
    )
    events = Event.objects.bulk_create(
        Event(
            program=program,
            title=f"Вебинар {n + 1}",
            kind="webinar",
            level="regional" if n % 2 else "municipal",
            is_exchange=n % 5 == 0,
            starts_at=timezone.now() - datetime.timedelta(days=60 - n),
            organizer=ministry,
        )
        for n in range(EVENTS)
    )
    # Each event invites its own 75 (× scale) schools, 60 (× scale) of which attended.
    invited_count, attended_count = 75 * scale, 60 * scale
    invited = Event.invited.through
    invited.objects.bulk_create(
        (
            invited(event_id=e.pk, organization_id=s.pk)
            for n, e in enumerate(events)
            for s in supported[n * invited_count : (n + 1) * invited_count]
        ),
        batch_size=5000,
    )
    Attendance.objects.bulk_create(
        (
            Attendance(event=e, organization=s, people_count=2)
            for n, e in enumerate(events)
            for s in supported[n * invited_count : n * invited_count + attended_count]
        ),
        batch_size=5000,
    )
    Document.objects.bulk_create(
        (
            Document(
                program=program,
                organization=s,
                kind="anti_risk_program",
                title="Антирисковая программа",
                status=["approved", "submitted", "draft"][n % 3],
            )
            for n, s in enumerate(supported)
        ),
        batch_size=5000,
    )
    User = get_user_model()
    people = {}
    for username, organization, superuser in (
        ("federal", ministry, False),
        ("municipal", municipal_authority, False),
        ("admin", None, True),
    ):
        user = User.objects.create(username=username, is_superuser=superuser, is_staff=superuser)
        if organization:
            Membership.objects.create(user=user, organization=organization, role="coordinator")
        people[username] = user
    local_school = next(s for s in supported if s.municipality_id == home.pk)
    print(
        f"Built in {time.perf_counter() - started:.1f} s: {len(supported)} supported and "
        f"{len(curators)} curator schools, {len(items)} roadmap items, "
        f"{Measurement.objects.count()} values, {len(events)} events."
    )
    return program, local_school, people, events[0], points[1]


class QueryLog:
    """Counts (and, with --explain, times) the queries of one request."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql))


def measure(client, url, runs, explain=False, profile=False):
    client.get(url)  # warm-up: templates, caches, connections
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            25
        )
    log = QueryLog()
    with connection.execute_wrapper(log):
        response = client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    size = len(response.content) if not response.streaming else 0
    if explain:
        for seconds, sql in sorted(log.queries, reverse=True)[:8]:
            print(f"    {seconds * 1000:7.1f} мс  {sql[:160]}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(log.queries), size


def value_saver(school, point):
    """Saves one value of `school` at `point` as the entry sheet does (the model's save, with its
    history and change marks), a different indicator's each time: a school inside every
    dashboard's scope, so that each dashboard's figures are touched by it."""
    from monitoring.models import Measurement

    values = list(Measurement.objects.filter(organization=school, point=point).order_by("pk"))
    turn = [0]

    def save():
        value = values[turn[0] % len(values)]
        turn[0] += 1
        value.value = (value.value + 1) % 100
        value.save()

    return save


def measure_after_save(client, url, runs, save):
    """The median time of a page requested right after a value was saved (no warm-up in
    between: the figures the save touched are computed by this request)."""
    client.get(url)
    times = []
    for _ in range(runs):
        save()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def measure_import(point, people, args):
    """A values import of every school at one point (3,000 × 15 cells, each value changed), as
    the administrator: the plan from the uploaded file, then the confirmed write with history,
    rolled back after. With --profile, where Python spends the time of each."""
    import io

    from django.db import transaction

    from monitoring.imports import plan_values_import, values_template
    from monitoring.models import Measurement

    user = people["admin"]
    book = values_template(point, user)
    sheet = book["Значения"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row[3:]:
            cell.value = ((cell.value or 0) + 1) % 100
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()

    class Rollback(Exception):
        pass

    def profiled(work):
        if not args.profile:
            return work()
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(work)
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            30
        )
        return result

    def cpu():
        """CPU seconds so far of this process and of the database's server process for this
        connection (None unless PostgreSQL runs on this machine): unlike the clock, they do not
        count the time the work waited for the neighbours' on a shared machine."""
        server = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (pid,) = cursor.fetchone()
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                server = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                pass
        return time.process_time(), server

    def spent(before):
        """(Python, database) CPU seconds since `before` (a `cpu()`)."""
        after = cpu()
        database = after[1] - before[1] if None not in (after[1], before[1]) else None
        return after[0] - before[0], database

    def timed(label):
        """Plan and write the file, rolled back; returns (plan s, write s, summary, queries,
        CPU seconds of the plan and of the write: (Python, database))."""
        log = QueryLog()
        started, before = time.perf_counter(), cpu()
        plan = profiled(lambda: plan_values_import(content, point, user))
        planned = time.perf_counter() - started
        plan_cpu = spent(before)
        assert plan.is_valid, plan.errors[:3]
        started, before = time.perf_counter(), cpu()
        with connection.execute_wrapper(log):
            summary = profiled(lambda: plan.apply(user))
        if connection.vendor == "postgresql":
            # The foreign keys are checked at the commit, which the rollback below skips: they
            # are checked here, so that the write costs what a committed import costs.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        written = time.perf_counter() - started
        write_cpu = spent(before)
        print(
            f"\nимпорт значений ({label}): {summary['updated']} изменено, "
            f"{summary['created']} создано; разбор файла и план {planned:.2f} с, запись с "
            f"историей {written:.2f} с ({len(log.queries)} запросов), всего "
            f"{planned + written:.2f} с (цель: до 5 с)"
        )
        if write_cpu[1] is not None:
            print(
                f"    процессор: план {plan_cpu[0]:.2f} с Python + {plan_cpu[1]:.2f} с базы, "
                f"запись {write_cpu[0]:.2f} с Python + {write_cpu[1]:.2f} с базы"
            )
        if args.explain:
            for seconds, sql in sorted(log.queries, reverse=True)[:8]:
                print(f"    {seconds * 1000:7.1f} мс  {sql[:160]}")
        return planned, written, summary, len(log.queries), plan_cpu, write_cpu

    from schools.models import Region

    times = []
    for _ in range(7):
        started = time.perf_counter()
        Region.objects.count()
        times.append(time.perf_counter() - started)
    yardstick = statistics.median(times)
    figures = {
        "goal": "total_s < 5 (135,000 values at --scale 3)",
        "yardstick_ms": round(yardstick * 1000, 2),
        "load": [round(load, 2) for load in os.getloadavg()],
    }
    print(
        f"\nэталон (один запрос): {yardstick * 1000:.2f} мс; загрузка машины (uptime): "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg())
    )
    for label, key, empty in (("изменение", "", False), ("новые значения", "new_", True)):
        try:
            with transaction.atomic():
                if empty:
                    # The first import of a point: no values saved yet.
                    Measurement.history.filter(point=point).delete()
                    # Setting up the case, rolled back after: no history, no marks.
                    values = Measurement.objects.filter(point=point)
                    values._raw_delete(values.db)
                planned, written, summary, queries, plan_cpu, write_cpu = timed(label)
                raise Rollback
        except Rollback:
            pass
        figures |= {
            f"{key}values": summary["updated"] + summary["created"],
            f"{key}plan_s": round(planned, 2),
            f"{key}write_s": round(written, 2),
            f"{key}total_s": round(planned + written, 2),
            f"{key}write_queries": queries,
            # CPU seconds (Python, database): what the work itself cost, whatever the load.
            f"{key}plan_cpu_s": [None if c is None else round(c, 2) for c in plan_cpu],
            f"{key}write_cpu_s": [None if c is None else round(c, 2) for c in write_cpu],
        }
    return figures


def measure_delete(point, people, count=10_000):
    """Deleting `count` values of a point as the admin does (`monitoring.services.delete_values`:
    history as a set, one DELETE, the figures' change marks), rolled back after."""
    from django.db import transaction

    from monitoring.models import Measurement
    from monitoring.services import delete_values

    class Rollback(Exception):
        pass

    chosen = list(
        Measurement.objects.filter(point=point).order_by("pk").values_list("pk", flat=True)[:count]
    )
    log = QueryLog()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            with connection.execute_wrapper(log):
                deleted = delete_values(
                    Measurement.objects.filter(pk__in=chosen), people["admin"], reason="bench"
                )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print(
        f"\nудаление значений точки: {deleted} за {seconds:.2f} с, {len(log.queries)} запросов"
        " (цель: 10 000 до 1 с)"
    )
    return {
        "values": deleted,
        "s": round(seconds, 3),
        "queries": len(log.queries),
        "goal": "s < 1 for 10,000 values",
    }


def measure_reports(program, point, user, trace_memory=False):
    """The summarised reports of the whole program, of one region and of one municipality, each
    made as a worker makes it (`reports.tasks.make_report_file`): seconds, PDF pages, size and
    the process's peak memory after it (ru_maxrss only grows: a report that needed more than
    everything before it raises it); with `trace_memory`, the peak of Python's allocations
    during each task (tracemalloc, which slows the run: its seconds are not the ones to quote)."""

    from schools.models import Municipality

    municipality = Municipality.objects.filter(
        organizations__participations__program=program
    ).first()
    subjects = [
        ("аналитическая справка", "note", point),
        ("паспорт программы", "passport", program),
        ("участие в событиях", "events", program),
    ]
    territories = [
        ("вся программа", {}),
        ("один регион", {"region": municipality.region_id}),
        ("один муниципалитет", {"municipality": municipality.pk}),
    ]
    print(
        f"\n{'отчёт (PDF, через задачу)':40} {'всего, с':>7} {'данные':>7} {'стр.':>6} {'КБ':>7}"
        f" {'пик RSS, МБ':>12}" + (f" {'пик Python, МБ':>10}" if trace_memory else "")
    )
    figures = []
    media = tempfile.TemporaryDirectory()
    with override_settings(MEDIA_ROOT=media.name):
        figures = _make_reports(subjects, territories, user, figures, trace_memory)
    media.cleanup()
    return figures


def _make_reports(subjects, territories, user, figures, trace_memory):
    import io
    import resource
    import tracemalloc

    from pypdf import PdfReader

    from reports.background import _loaded
    from reports.kinds import KINDS
    from reports.models import ReportFile
    from reports.tasks import make_report_file

    for title, slug, subject in subjects:
        for where, params in territories:
            report_file = ReportFile.objects.create(
                kind=slug,
                subject_id=subject.pk,
                fmt=ReportFile.Format.PDF,
                params=params,
                requested_by=user,
                title=title,
            )
            if trace_memory:
                tracemalloc.start()
            started = time.perf_counter()
            make_report_file.call(str(report_file.pk))
            seconds = time.perf_counter() - started
            traced = 0
            if trace_memory:
                traced = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            report_file.refresh_from_db()
            assert report_file.status == ReportFile.Status.READY, report_file.status
            # The data and the document without WeasyPrint, measured apart, as a worker's
            # task above makes both.
            kind = KINDS[slug]
            subject = kind.queryset().get(pk=subject.pk)
            started = time.perf_counter()
            kind.build(subject, user, **_loaded(params, user, subject))
            build_s = time.perf_counter() - started
            content = report_file.file.read()
            pages = len(PdfReader(io.BytesIO(content)).pages)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            label = f"{title}, {where}"
            print(
                f"{label:40} {seconds:7.1f} {build_s:7.1f} {pages:6d} {len(content) / 1024:7.0f}"
                f" {peak:12.0f}" + (f" {traced:10.0f}" if trace_memory else "")
            )
            figures.append(
                {
                    "report": label,
                    "s": round(seconds, 2),
                    "build_s": round(build_s, 2),
                    "pages": pages,
                    "bytes": len(content),
                    "peak_rss_mb": round(peak),
                    "traced_peak_mb": round(traced),
                }
            )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="build K times the «500+» program: 3,000 × K supported and 2,000 × K curator schools",
    )
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the built program for the next --keepdb run of the same --scale, and reuse it",
    )
    parser.add_argument("--explain", action="store_true", help="print the slowest queries")
    parser.add_argument("--profile", action="store_true", help="print where Python spends time")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument(
        "--reports",
        action="store_true",
        help="also make the note, passport and participation PDFs as a worker does",
    )
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="with --reports: the peak of Python's allocations during each report (slower)",
    )
    parser.add_argument(
        "--only",
        help="time only the pages whose title contains one of these texts (a,b,…); "
        "«import» (or «импорт») alone measures only the values import",
    )
    args = parser.parse_args()

    # No setup_test_environment(): it instruments template rendering so that the test client
    # can keep a copy of every context, which is not what a server does and costs much here.
    settings.DEBUG = False
    vendor = connection.vendor
    old_name = open_database(args.scale, args.keepdb)
    try:
        with override_settings(ROOT_URLCONF=__name__):
            program, school, people, event, point = built_or_build(args.scale)
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")

            def client_for(user):
                client = Client()
                client.force_login(user)
                return client

            wanted = args.only.split(",") if args.only else []
            if wanted in (["import"], ["импорт"]):
                figures = {
                    "database": vendor,
                    "scale": args.scale,
                    "import": measure_import(point, people, args),
                }
                if args.json:
                    Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))
                return
            federal, municipal, admin = (
                client_for(people[n]) for n in ("federal", "municipal", "admin")
            )
            yardstick, _, _ = measure(federal, reverse("bench_one_query"), args.runs)
            pages = [
                (
                    "национальная сводка программы",
                    federal,
                    reverse("dashboards:dashboard", args=[program.pk]),
                ),
                (
                    "сводка муниципалитета",
                    municipal,
                    reverse("dashboards:dashboard", args=[program.pk]),
                ),
                ("страница школы", municipal, reverse("schools:organization", args=[school.pk])),
                ("список школ территории (5000)", admin, reverse("schools:list")),
                ("список школ муниципалитета", municipal, reverse("schools:list")),
                ("страница программы", admin, reverse("programs:detail", args=[program.pk])),
                ("пары: настройка", admin, reverse("programs:setup_pairs", args=[program.pk])),
                ("дорожные карты: настройка", admin, reverse("roadmaps:setup", args=[program.pk])),
                (
                    "новое мероприятие (форма)",
                    admin,
                    reverse("roadmaps:event_create", args=[program.pk]),
                ),
                (
                    "посещаемость мероприятия",
                    admin,
                    reverse("roadmaps:attendance", args=[event.pk]),
                ),
                ("точка мониторинга", federal, reverse("monitoring:point", args=[point.pk])),
                (
                    "аналитическая справка, PDF (запрос)",
                    federal,
                    reverse("reports:report_pdf", args=["note", point.pk]),
                ),
                (
                    "паспорт программы, PDF (запрос)",
                    federal,
                    reverse("reports:report_pdf", args=["passport", program.pk]),
                ),
                ("главная федерального координатора", federal, reverse("home")),
                (
                    "мероприятия дорожных карт программы",
                    federal,
                    reverse("roadmaps:items", args=[program.pk]),
                ),
                (
                    "участники: настройка",
                    admin,
                    reverse("programs:setup_participants", args=[program.pk]),
                ),
                (
                    "загрузка дорожной карты (форма)",
                    admin,
                    reverse("roadmaps:import", args=[program.pk]),
                ),
                ("приглашение (форма)", admin, reverse("notices:invitation_create")),
                (
                    "экспертиза: школы по видам документов",
                    federal,
                    reverse("dashboards:expertise", args=[program.pk]),
                ),
            ]
            # Pages whose figures a value save touches: timed again right after a save.
            after_save = {
                "национальная сводка программы",
                "сводка муниципалитета",
                "экспертиза: школы по видам документов",
                "точка мониторинга",
                "главная федерального координатора",
            }
            save = value_saver(school, point)
            if wanted:
                pages = [page for page in pages if any(w in page[0] for w in wanted)]
            print(
                f"\nБаза: {vendor}; масштаб {args.scale}; медиана {args.runs} запусков; эталон — "
                f"страница с одним запросом: {yardstick * 1000:.1f} мс; цель: до 150 × эталон и "
                "500 КБ, и сразу после сохранения значения\n"
            )
            print(
                f"{'страница':40} {'мс':>8} {'× эталон':>9} {'запросов':>9} {'КБ':>8}"
                f" {'после сохр., мс':>16} {'× эталон':>9}"
            )
            figures = {
                "database": vendor,
                "scale": args.scale,
                "yardstick_ms": round(yardstick * 1000, 2),
                "goal": "ratio < 150, after_save_ratio < 150, bytes < 500 KB",
                "pages": [],
            }
            for title, client, url in pages:
                seconds, queries, size = measure(client, url, args.runs, args.explain, args.profile)
                row = {
                    "page": title,
                    "url": url,
                    "ms": round(seconds * 1000, 1),
                    "yardstick_ms": round(yardstick * 1000, 2),
                    "ratio": round(seconds / yardstick, 1),
                    "queries": queries,
                    "bytes": size,
                }
                after = ""
                if title in after_save:
                    saved = measure_after_save(client, url, args.runs, save)
                    row |= {
                        "after_save_ms": round(saved * 1000, 1),
                        "after_save_ratio": round(saved / yardstick, 1),
                    }
                    after = f" {saved * 1000:16.1f} {saved / yardstick:9.1f}"
                print(
                    f"{title:40} {seconds * 1000:8.1f} {seconds / yardstick:9.1f} {queries:9d}"
                    f" {size / 1024:8.1f}{after}"
                )
                figures["pages"].append(row)
            if args.reports:
                figures["reports"] = measure_reports(
                    program, point, people["admin"], args.trace_memory
                )
            if not wanted or {"import", "импорт"} & set(wanted):
                figures["import"] = measure_import(point, people, args)
            if not wanted or {"delete", "удаление"} & set(wanted):
                figures["delete"] = measure_delete(point, people)
            if args.json:
                Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    finally:
        close_database(old_name, args.keepdb)


if __name__ == "__main__":
    main()
