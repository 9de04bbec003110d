"""Load benchmark: the portal under concurrent signed-in clients, on a national-scale program.

Builds the «500+» program of bench/national.py in a throw-away database, starts gunicorn on
127.0.0.1 over it, and drives with 1, 4 and 16 concurrent clients (threads, each with its own
session): the national dashboard, a municipality's dashboard, a school page, the entry sheet of a
school (GET, and POST of the sheet as it is), the monitoring note PDF request (made in the
background: the request answers with the waiting page), and, measured the same way, the
yardstick — an anonymous page that makes one query. For each: requests per second, p50, p95 and
p99 in milliseconds, and errors (any status but 200/302, or a failed connection).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal CACHE_URL=redis://127.0.0.1:6379/2 \
        python bench/load.py --json load.json

`--cache-url` (default: CACHE_URL) is gunicorn's cache, as in production: with Redis the
dashboard's figures are computed once for all workers; with per-process memory, once per worker.

The deadline week (case «неделя дедлайна (deadline)», 4 and 16 clients): half the clients fill in
and submit the sheets of schools of different municipalities at the program's final point (open
for entry; the values of those schools not entered yet) — the sheet, a draft, the submission —
while the other half read the national and a municipality's dashboard, the point's page and the
federal coordinator's home, whose figures those saves touch; all together and each role apart,
errors counted (a sheet saved or submitted must redirect). `--only a,b` runs only the cases whose
title contains one of the texts (the yardstick always). `--scale K` builds K times the program.

Every loop is bounded: each case runs `--seconds` (or `--requests` per client, whichever comes
first); gunicorn is stopped and the database dropped at the end. Only loopback addresses.
"""

import argparse
import http.client
import itertools
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

import bench.national as national  # noqa: E402  (sets Django up)

HOST = "127.0.0.1"
CLIENTS = (1, 4, 16)
DEADLINE_CLIENTS = (4, 16)
DEADLINE = "неделя дедлайна (deadline): половина клиентов вводит и отправляет листы школ"
GOALS = {
    "национальная сводка": "p95 < 1000 мс при 16 клиентах",
    "сводка муниципалитета": "p95 < 300 мс",
    "справка PDF (запрос)": "< 1000 мс",
    DEADLINE: "p95 < 1000 мс при 16 клиентах, 0 ошибок",
}


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def session_cookie(user):
    # The portal's own session engine: its sessions are tied to their users (accounts).
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class Client:
    """One signed-in (or anonymous) client: a connection per request, as browsers behind a
    balancer mostly get from gunicorn's sync workers."""

    def __init__(self, port, cookie=""):
        self.port, self.cookie = port, cookie

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            all_headers = {"Cookie": self.cookie, **(headers or {})}
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            content = response.read()
            return response.status, content, response.getheader("Set-Cookie") or ""
        finally:
            conn.close()


FORM_FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def form_of(html):
    """The fields of the entry sheet as the browser would send them unchanged."""
    data = []
    for _tag, attrs in FORM_FIELD.findall(html):
        a = dict(ATTR.findall(attrs))
        name = a.get("name")
        if not name or name == "q":
            continue
        if a.get("type") in ("checkbox", "radio") and "checked" not in attrs:
            continue
        if a.get("type") == "submit":
            continue
        data.append((name, a.get("value", "")))
    return data


def run_case(make_request, clients, seconds, per_client):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        done = 0
        while done < per_client and time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                ok = make_request()
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if ok else errors).append(elapsed)
            done += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies) or [0]

    def pct(p):
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000

    return {
        "clients": clients,
        "requests": len(latencies) + len(errors),
        "rps": round((len(latencies) + len(errors)) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(pct(95), 1),
        "p99_ms": round(pct(99), 1),
        "errors": len(errors),
    }


def run_mixed(roles, clients, seconds, per_client):
    """The deadline week: client `i` plays `roles[i % len(roles)]` — a pair of a name and a
    factory of its requests (each client its own: a writer keeps its own schools). Returns the
    figures of all requests together and of each role."""
    latencies, errors = {}, {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(name, make_request):
        done = 0
        while done < per_client and time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                ok = make_request()
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if ok else errors).setdefault(name, []).append(elapsed)
            done += 1

    started = time.perf_counter()
    threads = []
    for n in range(clients):
        name, factory = roles[n % len(roles)]
        threads.append(threading.Thread(target=worker, args=(name, factory(n))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started

    def figures(ok, failed):
        ordered = sorted(ok) or [0]

        def pct(p):
            return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000

        return {
            "clients": clients,
            "requests": len(ok) + len(failed),
            "rps": round((len(ok) + len(failed)) / wall, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(pct(95), 1),
            "p99_ms": round(pct(99), 1),
            "errors": len(failed),
        }

    every = figures(
        [t for times in latencies.values() for t in times],
        [t for times in errors.values() for t in times],
    )
    return every, {
        name: figures(latencies.get(name, []), errors.get(name, []))
        for name in sorted(set(latencies) | set(errors))
    }


def copy_kept_program(scale):
    """Make test_<name> a copy of the program `bench/national.py --keepdb` kept at `scale`
    (`CREATE DATABASE … TEMPLATE`, a copy of its files: seconds instead of a build)."""
    if connection.vendor != "postgresql":
        raise SystemExit("--keepdb needs PostgreSQL: a copy is made from a template database.")
    source = national.kept_name(scale)
    target = connection.creation._get_test_db_name()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [source])
        if cursor.fetchone() is None:
            raise SystemExit(f"No kept program: run bench/national.py --scale {scale} --keepdb.")
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def open_deadline_week(program, writers, per_writer):
    """The program's final point open for entry until three days from now, and the values of
    `writers × per_writer` supported schools (of different municipalities) at it not entered
    yet: what the deadline-week clients fill in and submit. Returns the point and each writer's
    schools."""
    import datetime

    from django.utils import timezone

    from monitoring.models import Measurement, MonitoringPoint
    from schools.models import Organization

    final = MonitoringPoint.objects.get(program=program, kind="final")
    final.entry_deadline = timezone.localdate() + datetime.timedelta(days=3)
    final.save()
    # Spread over the municipalities: the first school of each, then the second of each, …
    by_municipality = {}
    for pk, municipality in (
        Organization.objects.filter(
            participations__program=program, participations__role="supported"
        )
        .order_by("municipality_id", "pk")
        .values_list("pk", "municipality_id")
    ):
        by_municipality.setdefault(municipality, []).append(pk)
    spread = itertools.chain.from_iterable(itertools.zip_longest(*by_municipality.values()))
    schools = [pk for pk in spread if pk is not None][: writers * per_writer]
    empty = Measurement.objects.filter(point=final, organization__in=schools)
    # Setting up the benchmark, not a person's delete: no history, no marks.
    empty._raw_delete(empty.db)
    return final, [schools[n::writers] for n in range(writers)]


def deadline_week(results, yardstick, args, port, poster, token, writer_schools, final, readers):
    """Half the clients fill in and submit the sheets of their own schools at the open final
    point (the sheet; a draft, with the sheet it redirects to; the submission), the other half read the
    national and a municipality's dashboard, the point's page and the coordinator's home — the
    figures those read are the ones the writers' saves touch."""
    pools = [iter(schools) for schools in writer_schools]
    # What each failed writer's request answered, to say why in the figures.
    failures = []

    def fill(fields, n):
        """The sheet's fields with the session's token and a value typed into each value box."""
        return [
            (
                name,
                token
                if name == "csrfmiddlewaretoken"
                else str((len(name) * 7 + n) % 100)
                if name.endswith("-value")
                else value,
            )
            for name, value in fields
        ]

    def writer(n):
        pool = pools[(n // 2) % len(pools)]
        state = {"step": "get"}

        def request():
            if state["step"] == "get":
                school = next(pool, None)
                if school is None:
                    return False
                state["url"] = reverse("monitoring:entry", args=[final.pk, school])
                status, page, _ = poster.request("GET", state["url"])
                state["fields"] = fill(form_of(page.decode()), n)
                state["step"] = "draft"
                if status != 200:
                    failures.append(f"лист: {status}")
                return status == 200
            action = state["step"]
            status, _content, _ = poster.request(
                "POST",
                state["url"],
                body=urllib.parse.urlencode([*state["fields"], ("action", action)]),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}{state['url']}",
                },
            )
            state["step"] = "submit" if action == "draft" else "get"
            # A sheet saved or submitted redirects to itself; a sheet shown again has errors.
            if status != 302:
                failures.append(f"{action}: {status}")
                return False
            if action == "draft":
                # The browser follows the redirect: the sheet it shows carries each value's new
                # revision, which the submission must send back (an older one is refused as
                # changed meanwhile).
                status, page, _ = poster.request("GET", state["url"])
                if status != 200:
                    failures.append(f"лист после черновика: {status}")
                    return False
                state["fields"] = fill(form_of(page.decode()), n)
            return True

        return request

    roles = []
    for name, make_request in readers:
        roles += [("ввод и отправка листа", writer), (name, lambda n, r=make_request: r)]
    for clients in DEADLINE_CLIENTS:
        failures.clear()
        every, by_role = run_mixed(roles, clients, args.seconds, args.requests)
        every["failed_writes"] = sorted(set(failures))
        for title, figures in [(DEADLINE, every)] + [
            (f"  {name}", figures) for name, figures in by_role.items()
        ]:
            figures["page"] = title.strip()
            figures["yardstick_p95_ms"] = yardstick.get(clients, 1)
            figures["p95_ratio"] = round(figures["p95_ms"] / figures["yardstick_p95_ms"], 1)
            results["cases"].append(figures)
            print(
                f"{title[:40]:40} {clients:8d} {figures['rps']:8.1f} {figures['p50_ms']:8.1f}"
                f" {figures['p95_ms']:8.1f} {figures['p99_ms']:8.1f} {figures['errors']:7d}"
                f" {figures['p95_ratio']:13.1f}"
            )
        if every["failed_writes"]:
            print(f"{'':40} ошибки ввода: {', '.join(every['failed_writes'])}")
    print(f"{'':40} цель: {GOALS[DEADLINE]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8, help="length of each case")
    parser.add_argument("--requests", type=int, default=200, help="at most, per client and case")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument(
        "--scale", type=int, default=1, help="build K times the «500+» program (bench/national.py)"
    )
    parser.add_argument(
        "--only",
        help="run only the cases whose title contains one of these texts (a,b,…), e.g. «дедлайн»",
    )
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="PostgreSQL: run on a copy of the program `bench/national.py --keepdb` kept at this "
        "--scale (the deadline week writes into the copy, which is dropped at the end)",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("CACHE_URL", "locmemcache://"),
        help="gunicorn's cache, as production sets CACHE_URL (redis://… to share the figures "
        "between its workers; default: the CACHE_URL of the environment, else per-process memory)",
    )
    args = parser.parse_args()

    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = False
    # A stopped benchmark still stops its gunicorn and drops its database (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path("/tmp") / "portal_load.sqlite3")
    if args.keepdb:
        copy_kept_program(args.scale)
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.keepdb
    )
    server = None
    try:
        program, school, people, _event, point = national.built_or_build(args.scale)
        # Enough sheets that no writer runs out in the 4- and 16-client cases together.
        final, writer_schools = open_deadline_week(program, max(DEADLINE_CLIENTS) // 2, 250)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # gunicorn runs with DEBUG off, which refuses the development key: both sides sign the
        # sessions with this one.
        secret = "load-benchmark-" + "k" * 50
        settings.SECRET_KEY = secret
        cookies = {name: session_cookie(user) for name, user in people.items()}
        connection.close()

        if args.cache_url.startswith("redis"):
            # A cache left by an earlier run would hold figures of another database's program 1.
            import redis

            redis.Redis.from_url(args.cache_url).flushdb()
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "BENCH_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
            "DEBUG": "False",
            # Static files from the finders, as the tests do: no collectstatic for a benchmark.
            "STATIC_MANIFEST": "False",
            "SECRET_KEY": secret,
            "CACHE_URL": args.cache_url,
            # The clients sign in with the password alone; the second factor is measured by
            # nobody here.
            "TWO_FACTOR_REQUIRED": "False",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        probe = Client(port)
        for _ in range(100):
            try:
                probe.request("GET", "/bench/one-query/")
                break
            except OSError:
                time.sleep(0.2)

        federal = Client(port, cookies["federal"])
        municipal = Client(port, cookies["municipal"])
        admin = Client(port, cookies["admin"])
        dashboard = reverse("dashboards:dashboard", args=[program.pk])
        entry = reverse("monitoring:entry", args=[point.pk, school.pk])
        status, page, _ = admin.request("GET", entry)
        fields = form_of(page.decode())
        token = dict(fields).get("csrfmiddlewaretoken", "")
        csrf_cookie = re.search(r"csrftoken=([^;]+)", admin.request("GET", entry)[2] or "")
        poster = Client(
            port, f"{cookies['admin']}; csrftoken={csrf_cookie.group(1) if csrf_cookie else ''}"
        )
        if csrf_cookie:
            token = csrf_cookie.group(1)
            fields = [(n, token if n == "csrfmiddlewaretoken" else v) for n, v in fields]
        body = urllib.parse.urlencode(fields)

        def get(client, path):
            return lambda: client.request("GET", path)[0] in (200, 302)

        def post_entry():
            status, _content, _ = poster.request(
                "POST",
                entry,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}{entry}",
                },
            )
            return status in (200, 302)

        cases = [
            ("эталон: анонимная страница, 1 запрос", get(Client(port), "/bench/one-query/")),
            ("национальная сводка", get(federal, dashboard)),
            ("сводка муниципалитета", get(municipal, dashboard)),
            ("страница школы", get(municipal, reverse("schools:organization", args=[school.pk]))),
            ("лист ввода значений (GET)", get(admin, entry)),
            ("лист ввода значений (POST)", post_entry),
            (
                "справка PDF (запрос)",
                get(federal, reverse("reports:report_pdf", args=["note", point.pk])),
            ),
        ]
        wanted = args.only.split(",") if args.only else []
        # The yardstick always runs: every ratio is to it.
        cases = [
            case
            for n, case in enumerate(cases)
            if n == 0 or not wanted or any(w in case[0] for w in wanted)
        ]
        readers = [
            ("национальная сводка", get(federal, dashboard)),
            ("сводка муниципалитета", get(municipal, dashboard)),
            ("точка мониторинга", get(federal, reverse("monitoring:point", args=[final.pk]))),
            ("главная координатора", get(federal, reverse("home"))),
        ]
        results = {
            "database": vendor,
            "scale": args.scale,
            "workers": args.workers,
            "cache": args.cache_url.split(":", 1)[0],
            "cases": [],
        }
        print(
            f"\nБаза: {vendor}; масштаб {args.scale}; gunicorn, {args.workers} процесса на {HOST},"
            f" кэш {results['cache']}; по {args.seconds} с"
        )
        print(
            f"{'страница':40} {'клиентов':>8} {'запр/с':>8} {'p50':>8} {'p95':>8} {'p99':>8}"
            f" {'ошибок':>7} {'p95 × эталон':>13}"
        )
        # The yardstick's p95 at each number of clients: every case's ratio is to the same run's.
        yardstick = {}
        for title, make_request in cases:
            # Warm-up: the first requests fill caches and load every worker's code.
            for _ in range(2 * args.workers):
                make_request()
            for clients in CLIENTS:
                figures = run_case(make_request, clients, args.seconds, args.requests)
                figures["page"] = title
                yardstick.setdefault(clients, figures["p95_ms"] or 1)
                figures["yardstick_p95_ms"] = yardstick[clients]
                figures["p95_ratio"] = round(figures["p95_ms"] / yardstick[clients], 1)
                results["cases"].append(figures)
                print(
                    f"{title:40} {clients:8d} {figures['rps']:8.1f} {figures['p50_ms']:8.1f}"
                    f" {figures['p95_ms']:8.1f} {figures['p99_ms']:8.1f} {figures['errors']:7d}"
                    f" {figures['p95_ratio']:13.1f}"
                )
            if title in GOALS:
                print(f"{'':40} цель: {GOALS[title]}")
        if not args.only or any(w in DEADLINE for w in wanted):
            deadline_week(
                results, yardstick, args, port, poster, token, writer_schools, final, readers
            )
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
