"""Open data (открытые данные): a public program's aggregate figures — by territory and
monitoring point: schools, completion of roadmap items, completeness of the points, indicators
against targets — as CSV and JSON, with the data-set passport and its structure as the
Russian open-data guidelines describe them (UTF-8, a header row, `property,value` for the
passport), under CC BY 4.0.

Never a person and never one school: every figure is the dashboard's own (`api.figures`) over
a territory, and a territory of fewer than `MIN_SCHOOLS` supported schools is suppressed, so
that no figure is one school's value in disguise. Only programs whose page is public have
files; any other answers 404, whoever asks."""

import csv
import io
import json

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core.changes import last_changed_on
from dashboards.scope import WHOLE, Scope
from programs.models import Program
from schools.models import Municipality, Region

from .figures import figures_data

MIN_SCHOOLS = 3
LICENSE = "Creative Commons «Атрибуция» 4.0 Международная (CC BY 4.0)"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ru"
STANDARD = "http://opendata.gosmonitor.ru/standard/3.0"

# The columns of data.csv (and the keys of data.json's rows): name, Russian description.
STRUCTURE = [
    (
        "territory_kind",
        "Вид территории: program — вся программа, region — регион, municipality — муниципалитет",
    ),
    ("territory", "Название территории"),
    ("territory_code", "Код субъекта РФ (для региона) или пусто"),
    (
        "measure",
        "Что измерено: schools — школ адресной поддержки; roadmap_items_total, "
        "roadmap_items_done, roadmap_items_late — пункты дорожных карт; roadmap_done_share — "
        "доля выполненных пунктов, %; point_completeness — доля школ, сдавших все значения "
        "точки, %; indicator_average — среднее значение показателя по школам; effectiveness — "
        "показатель эффективности, вычисленный порталом; suppressed — данные территории скрыты",
    ),
    ("point", "Точка мониторинга (срок)"),
    ("point_date", "Дата точки мониторинга, ГГГГ-ММ-ДД"),
    ("indicator_code", "Номер показателя в программе"),
    ("indicator", "Показатель"),
    ("unit", "Единица: percent — %, count — количество, score — балл, yes_no — да/нет"),
    ("value", "Значение"),
    ("target", "Плановое (целевое) значение"),
    ("comparison", "Сравнение с плановым: ge — не менее, le — не более, eq — равно"),
    ("schools_counted", "Школ в расчёте"),
    ("schools_met", "Школ, достигших планового значения"),
]
COLUMNS = [name for name, _ in STRUCTURE]


def public_program(pk):
    return get_object_or_404(
        Program.objects.public().select_related("owner", "region", "municipality"), pk=pk
    )


def territories(program):
    """(kind, territory, schools) for each territory of the program's supported schools: the
    regions of a federal program, the municipalities of any other."""
    schools = program.supported_schools()
    if program.level == Program.Level.FEDERAL:
        counts = dict(schools.values_list("region").annotate(n=Count("pk")))
        found = Region.objects.filter(pk__in=counts).order_by("name")
        kind = "region"
    else:
        counts = dict(
            schools.filter(municipality__isnull=False)
            .values_list("municipality")
            .annotate(n=Count("pk"))
        )
        found = Municipality.objects.filter(pk__in=counts).order_by("name")
        kind = "municipality"
    return [(kind, territory, counts[territory.pk]) for territory in found]


def rows(program, now=None):
    """Every row of data.csv: the whole program first, then each territory."""
    now = now or timezone.now()
    result = []
    total = program.supported_schools().count()
    parts = [("program", None, total)]
    if program.level != Program.Level.MUNICIPAL:
        parts += territories(program)
    for kind, territory, schools in parts:
        where = {
            "territory_kind": kind,
            "territory": str(territory) if territory else program.territory_name,
            "territory_code": getattr(territory, "code", "") if kind == "region" else "",
        }
        if schools < MIN_SCHOOLS:
            result.append(_row(where, measure="suppressed"))
            continue
        scope = (
            WHOLE
            if territory is None
            else Scope(**{"region" if kind == "region" else "municipality": territory})
        )
        result += _figure_rows(where, figures_data(program, scope, now))
    return result


def _row(where, **values):
    row = dict.fromkeys(COLUMNS, None)
    row.update(where)
    row.update(values)
    return row


def _figure_rows(where, figures):
    roadmap = figures["roadmap"]
    found = [
        _row(where, measure="schools", value=figures["schools"]),
        _row(where, measure="roadmap_items_total", value=roadmap["total"]),
        _row(where, measure="roadmap_items_done", value=roadmap["done"]),
        _row(where, measure="roadmap_items_late", value=roadmap["late"]),
        _row(where, measure="roadmap_done_share", unit="percent", value=roadmap["share"]),
    ]
    for point in figures["completeness"]:
        found.append(
            _row(
                where,
                measure="point_completeness",
                point=point["point"],
                point_date=point["date"],
                unit="percent",
                value=point["share"],
                schools_counted=point["complete"],
            )
        )
    for indicator in figures["indicators"]:
        for cell in indicator["points"]:
            found.append(
                _row(
                    where,
                    measure="indicator_average",
                    point=cell["point"],
                    point_date=cell["date"],
                    indicator_code=indicator["code"],
                    indicator=indicator["title"],
                    unit=indicator["unit"],
                    value=cell["average"],
                    target=cell["target"],
                    comparison=cell["comparison"],
                    schools_counted=cell["schools_measured"],
                    schools_met=cell["schools_met"],
                )
            )
    for result in figures["effectiveness"]:
        found.append(
            _row(
                where,
                measure="effectiveness",
                indicator_code=result["code"],
                indicator=result["title"],
                unit="percent" if result["denominator"] is not None else "count",
                value=result["value"],
                target=result["threshold"],
                comparison=result["comparison"],
            )
        )
    return found


def passport(request, program):
    """The data-set passport (паспорт набора открытых данных), as `property → value`."""
    owner = program.owner
    day = last_changed_on(program.pk)
    identifier = f"{owner.inn}-program-{program.pk}" if owner.inn else f"program-{program.pk}"
    return {
        "standardversion": STANDARD,
        "identifier": identifier,
        "title": f"Итоги программы «{program.short_title}» по территориям и точкам мониторинга",
        "description": (
            f"{program.title}. Сводные показатели по школам адресной поддержки: число школ, "
            "выполнение пунктов дорожных карт, полнота мониторинга, средние значения "
            "показателей и их плановые значения, показатели эффективности — по программе в "
            f"целом и по территориям. Территории, где меньше {MIN_SCHOOLS} школ, скрыты. "
            "Персональных данных и данных отдельных школ набор не содержит."
        ),
        "creator": owner.name,
        "format": "csv",
        "subject": "адресная поддержка школ, ШНОР, мониторинг, дорожная карта, образование",
        "created": (program.order_date or day).isoformat(),
        "modified": day.isoformat(),
        "valid": day.isoformat(),
        "provenance": "Данные портала адресной поддержки на дату актуальности",
        "license": f"{LICENSE}, {LICENSE_URL}",
        "data": request.build_absolute_uri(reverse("api:open_data_csv", args=[program.pk])),
        "structure": request.build_absolute_uri(
            reverse("api:open_data_structure", args=[program.pk])
        ),
    }


def _csv(header, lines, name):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    response = HttpResponse(buffer.getvalue().encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value)


@login_not_required
def data_csv(request, pk):
    program = public_program(pk)
    lines = [[_cell(row[name]) for name in COLUMNS] for row in rows(program)]
    return _csv(COLUMNS, lines, f"data-{program.pk}.csv")


@login_not_required
def data_json(request, pk):
    program = public_program(pk)
    body = {
        "passport": passport(request, program),
        "structure": [{"name": name, "description": text} for name, text in STRUCTURE],
        "data": rows(program),
    }
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )


@login_not_required
def meta_csv(request, pk):
    program = public_program(pk)
    return _csv(["property", "value"], passport(request, program).items(), "meta.csv")


@login_not_required
def structure_csv(request, pk):
    public_program(pk)
    return _csv(["field", "description"], STRUCTURE, "structure.csv")


@login_not_required
def index(request):
    """Every public program's open data, with the licence."""
    return render(
        request,
        "api/open_data.html",
        {
            "programs": Program.objects.public().order_by("short_title"),
            "license": LICENSE,
            "license_url": LICENSE_URL,
            "min_schools": MIN_SCHOOLS,
        },
    )
