"""Set-up of a program's monitoring: points, indicators and their targets and thresholds, and
the standard computed effectiveness indicators. Only `Program.objects.editable_by` may use
these pages (404 outside the user's reach, 403 for those who only see the program)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.setup import delete_unless_blocked
from programs.models import Program

from .models import Indicator, MonitoringPoint
from .setup_forms import IndicatorForm, MonitoringPointForm, TargetFormSetFactory
from .standard import add_standard_indicators


def points(request, pk):
    program = Program.objects.set_up_by(request.user, pk)
    form = MonitoringPointForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        point = form.save()
        messages.success(request, f"Точка мониторинга «{point}» добавлена.")
        return redirect("monitoring:setup_points", pk=program.pk)
    return render(
        request,
        "monitoring/setup/points.html",
        {
            "program": program,
            "points": program.points.annotate(value_count=Count("measurements")),
            "form": form,
            "active": "points",
        },
    )


def _point(request, pk):
    point = get_object_or_404(MonitoringPoint.objects.visible_to(request.user), pk=pk)
    return point, Program.objects.set_up_by(request.user, point.program_id)


def point_edit(request, pk):
    point, program = _point(request, pk)
    form = MonitoringPointForm(request.POST or None, instance=point, program=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Точка мониторинга сохранена.")
        return redirect("monitoring:setup_points", pk=program.pk)
    return render(
        request,
        "monitoring/setup/point_form.html",
        {"program": program, "point": point, "form": form, "active": "points"},
    )


@require_POST
def point_delete(request, pk):
    point, program = _point(request, pk)
    delete_unless_blocked(request, point, f"Точка мониторинга «{point}» удалена.")
    return redirect("monitoring:setup_points", pk=program.pk)


def indicators(request, pk):
    program = Program.objects.set_up_by(request.user, pk)
    form = IndicatorForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, f"Показатель «{indicator}» добавлен. Задайте целевые значения.")
        return redirect("monitoring:indicator_edit", pk=indicator.pk)
    listed = program.indicators.prefetch_related("targets__point", "targets__organization")
    return render(
        request,
        "monitoring/setup/indicators.html",
        {"program": program, "indicators": listed, "form": form, "active": "indicators"},
    )


def _indicator(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.visible_to(request.user).select_related("program"), pk=pk
    )
    return indicator, Program.objects.set_up_by(request.user, indicator.program_id)


def indicator_edit(request, pk):
    """The indicator and its targets: by point, by school, and the program's threshold."""
    indicator, program = _indicator(request, pk)
    data = request.POST if request.method == "POST" else None
    form = IndicatorForm(data, instance=indicator, program=program)
    targets = TargetFormSetFactory(data, instance=indicator, prefix="targets")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        form.save()
        targets.save()
        messages.success(request, "Показатель и его целевые значения сохранены.")
        return redirect("monitoring:indicator_edit", pk=indicator.pk)
    return render(
        request,
        "monitoring/setup/indicator_form.html",
        {
            "program": program,
            "indicator": indicator,
            "form": form,
            "targets": targets,
            "active": "indicators",
        },
    )


@require_POST
def indicator_delete(request, pk):
    indicator, program = _indicator(request, pk)
    delete_unless_blocked(request, indicator, f"Показатель «{indicator}» удалён.")
    return redirect("monitoring:setup_indicators", pk=program.pk)


@require_POST
def standard_indicators(request, pk):
    program = Program.objects.set_up_by(request.user, pk)
    added = add_standard_indicators(program)
    if added:
        messages.success(request, f"Добавлено показателей эффективности: {added}.")
    else:
        messages.info(request, "Все стандартные показатели эффективности уже есть.")
    return redirect("monitoring:setup_indicators", pk=program.pk)
