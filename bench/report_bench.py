"""How long a report takes for a program of 50 schools, beside WeasyPrint alone on the same HTML.

    /work/main/.venv/bin/python bench/report_bench.py [--schools 50] [--runs 3]

It builds a throwaway test database (SQLite in memory, or test_<name> on PostgreSQL when
DATABASE_URL says so), fills one program with `--schools` supported schools and what the reports
read, then for every kind of report prints the best of `--runs` interleaved runs (the least
disturbed by whatever else the machine does):
  report  — the whole PDF download: data through the access rules, HTML, WeasyPrint;
  weasy   — WeasyPrint alone on the HTML that report produced;
  ratio   — report / weasy (the goal: at most 1.2, so gathering and templating stay cheap);
  html    — the data and the HTML alone (what the report adds to WeasyPrint);
  xlsx    — the data and the workbook.
The goal for the PDF is under 3 s.
"""

import argparse
import datetime
import gc
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def fill(schools_count):
    """One program like «Вектор на развитие», at the scale of a regional «500+» municipality."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
    from programs.models import (
        Agreement,
        Curator,
        CuratorPair,
        Document,
        Module,
        Participant,
        Program,
        Review,
    )
    from roadmaps.models import Attendance, Event, ItemExecution, Roadmap, RoadmapItem
    from schools.models import (
        Membership,
        Municipality,
        Organization,
        Region,
        RiskFactor,
        RiskLevel,
        RiskProfile,
        SchoolStatus,
    )

    region = Region.objects.create(name="Ханты-Мансийский автономный округ – Югра", code="86",
                                   timezone="Asia/Yekaterinburg")  # fmt: skip
    municipality = Municipality.objects.create(region=region, name="Сургутский район")
    authority = Organization.objects.create(
        name="Департамент образования и молодёжной политики администрации Сургутского района",
        short_name="ДОиМП Сургутского района",
        kind=Organization.Kind.AUTHORITY,
        region=region,
        municipality=municipality,
    )
    coordinator = get_user_model().objects.create(username="coordinator")
    Membership.objects.create(
        user=coordinator, organization=authority, role=Membership.Role.COORDINATOR
    )
    program = Program.objects.create(
        title="Муниципальный проект методического сопровождения («адресная поддержка») "
        "«Вектор на развитие» общеобразовательных организаций, имеющих стабильно низкие "
        "образовательные результаты обучающихся",
        short_title="Вектор на развитие",
        level=Program.Level.MUNICIPAL,
        owner=authority,
        region=region,
        municipality=municipality,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
        goal="Повышение качества образования и обеспечение устойчивого развития школ.",
        order_number="1030",
        order_date=datetime.date(2022, 12, 30),
    )
    for n in range(1, 7):
        program.tasks.create(number=str(n), order=n, text=f"Задача проекта номер {n}: "
                             "развитие механизмов управления качеством образования.")  # fmt: skip
    modules = [
        Module.objects.create(program=program, title=title, order=n)
        for n, title in enumerate(("Есть проект", "ПрофСреда", "Стратегия успеха"), 1)
    ]

    def school(name):
        return Organization(
            name=f"Муниципальное бюджетное общеобразовательное учреждение «{name}»",
            short_name=f"МБОУ «{name}»",
            region=region,
            municipality=municipality,
        )

    curators = Organization.objects.bulk_create(
        [school(f"Кураторская СОШ № {n}") for n in range(1, schools_count // 5 + 2)]
    )
    supported = Organization.objects.bulk_create(
        [school(f"Средняя общеобразовательная школа № {n}") for n in range(1, schools_count + 1)]
    )
    Participant.objects.bulk_create(
        [Participant(program=program, organization=s, role="supported") for s in supported]
        + [Participant(program=program, organization=c, role="curator") for c in curators]
    )
    pairs = CuratorPair.objects.bulk_create(
        [
            CuratorPair(program=program, curator_school=curators[n // 5], supported_school=s,
                        number=str(n + 1))
            for n, s in enumerate(supported)
        ]
    )  # fmt: skip
    Curator.objects.bulk_create(
        [Curator(pair=p, organization=p.curator_school, full_name=f"Куратор пары {p.number}")
         for p in pairs]
    )  # fmt: skip
    Agreement.objects.bulk_create(
        [Agreement(pair=p, number=p.number, signed_on=datetime.date(2023, 2, 1)) for p in pairs]
    )
    SchoolStatus.objects.bulk_create(
        [SchoolStatus(school=s, year=2022, category="risk_zone") for s in supported]
    )
    roadmap = Roadmap.objects.create(
        program=program, level=Roadmap.Level.PROGRAM, title="Дорожная карта проекта"
    )
    statuses = ["done", "done", "in_progress", "planned", "not_done"]
    items = RoadmapItem.objects.bulk_create(
        [
            RoadmapItem(
                roadmap=roadmap,
                module=modules[n % 3],
                number=f"{n + 1}.",
                order=n,
                title=f"Мероприятие {n + 1}: мастер-сессия, методический аудит и консультирование "
                "участников проекта по вопросам повышения качества образования",
                schedule_text="Февраль – декабрь 2023",
                starts_on=datetime.date(2023, 1 + n % 12, 1),
                due_on=datetime.date(2023, 1 + n % 12, 28),
                status=statuses[n % 5],
                completed_on=datetime.date(2023, 1 + n % 12, 20) if n % 5 < 2 else None,
                expected_result="Не менее 85 % школ-участников",
            )
            for n in range(40)
        ]
    )
    ItemExecution.objects.bulk_create(
        [
            ItemExecution(
                item=i, organization=authority, status=i.status, completed_on=i.completed_on
            )
            for i in items
        ]
    )
    start = timezone.make_aware(datetime.datetime(2023, 2, 10, 10))
    events = Event.objects.bulk_create(
        [
            Event(program=program, title=f"Семинар-практикум № {n + 1} для школ проекта",
                  kind="seminar", starts_at=start + datetime.timedelta(days=14 * n))
            for n in range(12)
        ]
    )  # fmt: skip
    Event.invited.through.objects.bulk_create(
        [Event.invited.through(event=e, organization=s) for e in events for s in supported]
    )
    Attendance.objects.bulk_create(
        [
            Attendance(event=e, organization=s, people_count=1 + n % 3)
            for e in events
            for n, s in enumerate(supported)
            if (n + e.pk) % 3
        ]
    )
    points = [
        MonitoringPoint.objects.create(program=program, title=title, date=day, kind=kind)
        for title, day, kind in (
            ("Стартовая диагностика", datetime.date(2022, 12, 31), "baseline"),
            ("Первый этап", datetime.date(2023, 5, 31), "intermediate"),
            ("Второй этап", datetime.date(2023, 10, 31), "intermediate"),
            ("Итоги года", datetime.date(2023, 12, 29), "final"),
        )
    ]
    titles = [
        "Качество знаний по итогам промежуточной аттестации",
        "Успеваемость по итогам промежуточной аттестации",
        "Качество знаний по итогам ГИА (ОГЭ)",
        "Качество знаний по итогам ВПР (с учётом объективности)",
        "Уровень функциональной грамотности по итогам РЭШ",
        "Доля педагогов, внедривших современные образовательные технологии",
        "Доля обучающихся с неудовлетворительными результатами",
        "Доля педагогов, прошедших курсы повышения квалификации",
    ]
    indicators = [
        Indicator.objects.create(program=program, code=str(n), title=title, order=n,
                                 direction="down" if "неудовлетвор" in title else "up")
        for n, title in enumerate(titles, 1)
    ] + [
        Indicator.objects.create(program=program, code=str(n), title=title, order=n,
                                 level=Indicator.Level.PROGRAM)
        for n, title in enumerate(("Доля пар с подписанным соглашением",
                                   "Доля школ, участвовавших в мероприятиях"), 9)
    ]  # fmt: skip
    Target.objects.bulk_create(
        [
            Target(indicator=i, point=p, value=40 + 5 * k)
            for i in indicators
            for k, p in enumerate(points[1:])
        ]
    )
    measurements = []
    for i in indicators:
        for k, p in enumerate(points[:3]):
            if i.level == Indicator.Level.PROGRAM:
                measurements.append(Measurement(indicator=i, point=p, value=30 + 10 * k,
                                                status="approved"))  # fmt: skip
                continue
            for n, s in enumerate(supported):
                value = (30 + (n * 7 + i.pk * 3 + k * 5) % 40) if (n + k) % 9 else None
                measurements.append(
                    Measurement(indicator=i, point=p, organization=s, value=value,
                                status="approved" if value is not None and n % 4 else "draft")
                )  # fmt: skip
    Measurement.objects.bulk_create(measurements, batch_size=500)
    documents = Document.objects.bulk_create(
        [Document(program=program, organization=s, kind="medium_term_program",
                  title=f"Среднесрочная программа «Вектор на развитие» {s.short_name}",
                  status="approved") for s in supported]
    )  # fmt: skip
    Review.objects.bulk_create(
        [Review(document=d, reviewer=coordinator, verdict="approved",
                decided_at=start + datetime.timedelta(days=20 + n % 60))
         for n, d in enumerate(documents)]
    )  # fmt: skip
    factors = RiskFactor.objects.bulk_create(
        [RiskFactor(code=str(n), title=f"Фактор риска {n}", group=f"Группа {1 + n // 4}",
                    order=n) for n in range(1, 13)]
    )  # fmt: skip
    target_school = supported[0]
    for k, day in enumerate((datetime.date(2022, 10, 1), datetime.date(2023, 10, 1))):
        profile = RiskProfile.objects.create(school=target_school, assessed_on=day)
        RiskLevel.objects.bulk_create(
            [RiskLevel(profile=profile, factor=f, level=["high", "medium", "low"][(f.pk + k) % 3])
             for f in factors]
        )  # fmt: skip
    return {
        "passport": program,
        "roadmap": roadmap,
        "note": points[2],
        "half-year": program,
        "school": target_school,
        "events": program,
    }, coordinator


def timed(action):
    # Garbage of the previous run is collected before, not during, the one being timed.
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from pypdf import PdfReader

    from reports.html import render_document
    from reports.kinds import KINDS
    from reports.pdf import html_to_pdf, render_pdf
    from reports.xlsx import render_xlsx

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        subjects, user = fill(args.schools)
        html_to_pdf("<p>Прогрев: шрифты и стили WeasyPrint</p>")
        print(f"Программа из {args.schools} школ; лучшее из {args.runs} прогонов, секунды.")
        print(f"{'отчёт':<10} {'стр.':>4} {'report':>7} {'weasy':>7} {'ratio':>6} "
              f"{'html':>6} {'xlsx':>6}")  # fmt: skip
        for slug, subject in subjects.items():
            kind = KINDS[slug]

            def build(kind=kind, subject=subject):
                # A user's reach is kept on the user for one request; each download is new.
                user.__dict__.pop("_portal_reach", None)
                return kind.build(subject, user)

            html = render_document(build())
            runs = {"report": [], "weasy": [], "html": [], "xlsx": []}
            # Interleaved, so that a busy moment of the machine hits both alike.
            for _ in range(args.runs):
                spent, pdf = timed(lambda build=build: render_pdf(build()))
                runs["report"].append(spent)
                runs["weasy"].append(timed(lambda html=html: html_to_pdf(html))[0])
                runs["html"].append(timed(lambda build=build: render_document(build()))[0])
                runs["xlsx"].append(timed(lambda build=build: render_xlsx(build()))[0])
            best = {name: min(times) for name, times in runs.items()}
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            print(
                f"{slug:<10} {pages:>4} {best['report']:>7.2f} {best['weasy']:>7.2f} "
                f"{best['report'] / best['weasy']:>6.2f} {best['html']:>6.2f} {best['xlsx']:>6.2f}"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
