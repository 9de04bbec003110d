"""Events of a program: a list and a month calendar, the event form, and attendance marked
after the event.

Times are entered and shown in the program region's time zone (`Program.timezone_name`): each
view renders inside `timezone.override`, so forms read the typed time in that zone and
templates print it there, whatever server the request lands on.

Access: the list and calendar follow `Event.objects.visible_to` through the program; creating,
changing and marking attendance follow `Event.objects.editable_by` (the program's coordinators).
"""

import calendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from core import timezones
from core.access import require, visible_or_404
from core.lists import ListPage
from core.pagination import page_of
from core.pickers import form_search_response
from core.revisions import StaleRevision, create_or_stale
from programs.models import Program

from .event_forms import AttendanceFormSet, EventForm, attendance_organizations
from .filters import EventFilter
from .models import Attendance, Event
from .tables import EventTable

MONTHS = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
]
WEEKDAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def _visible_program(request, pk):
    return visible_or_404(
        Program.objects.select_related("region", "municipality__region"), request.user, pk=pk
    )


def _may_edit(request, program):
    return Program.objects.editable_by(request.user).contains(program)


class EventListPage(ListPage):
    table_class = EventTable
    filterset_class = EventFilter
    template_name = "roadmaps/events/event_list.html"

    def get_queryset(self):
        self.program = _visible_program(self.request, self.kwargs["pk"])
        self.can_edit = _may_edit(self.request, self.program)
        events = Event.objects.visible_to(self.request.user).filter(program=self.program)
        return _with_counts(events).select_related("item")

    def get_timezone(self):
        return self.program.timezone_name

    def get_filterset_kwargs(self):
        return {"today": self.program.local_today()}

    def get_table_kwargs(self):
        return {"exclude": () if self.can_edit else ("manage",)}

    def get_export_name(self):
        return f"События — {self.program.short_title}"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "program": self.program,
            "can_edit": self.can_edit,
            "active": "events",
            "timezone_name": self.program.timezone_name,
        }


def _with_counts(events):
    attended = (
        Attendance.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    invited = (
        Event.invited.through.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return events.annotate(
        attended_count=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0)),
        invited_count=Coalesce(Subquery(invited, output_field=IntegerField()), Value(0)),
    )


def event_calendar(request, pk):
    """A month, Monday first, in the region's time zone: as a grid and as an agenda (the
    month's days that have events, one under another, which is what a phone shows);
    ?month=2023-05 picks the month, ?view=agenda shows only the agenda. Without a month it opens
    on the month of the next event, so nobody pages forward through empty months."""
    program = _visible_program(request, pk)
    zone = timezones.tzinfo(program.timezone_name)
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    visible = Event.objects.visible_to(request.user).filter(program=program)
    opening = today
    if not request.GET.get("month"):
        upcoming = visible.filter(starts_at__gte=now).order_by("starts_at").first()
        if upcoming is not None:
            opening = timezone.localtime(upcoming.starts_at, zone).date()
    month = _month(request.GET.get("month"), opening)
    first = month
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    events = visible.filter(
        starts_at__gte=datetime.combine(grid_start, time.min, tzinfo=zone),
        starts_at__lt=datetime.combine(grid_end + timedelta(days=1), time.min, tzinfo=zone),
    ).order_by("starts_at")
    by_day = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at, zone).date(), []).append(event)
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            week.append(
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "events": by_day.get(day, []),
                }
            )
            day += timedelta(days=1)
        weeks.append(week)
    agenda = [
        {"date": day, "today": day == today, "events": by_day[day]}
        for day in sorted(by_day)
        if first <= day <= last
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    with timezone.override(zone):
        return render(
            request,
            "roadmaps/events/calendar.html",
            {
                "program": program,
                "weeks": weeks,
                "agenda": agenda,
                "view": "agenda" if request.GET.get("view") == "agenda" else "month",
                "month": f"{month:%Y-%m}",
                "weekdays": WEEKDAYS,
                "month_title": f"{MONTHS[month.month - 1]} {month.year}",
                "previous": f"{previous:%Y-%m}",
                "following": f"{following:%Y-%m}",
                "this_month": f"{today:%Y-%m}",
                "can_edit": _may_edit(request, program),
                "active": "events",
                "timezone_name": program.timezone_name,
            },
        )


def _month(text, today):
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def event_create(request, pk):
    program = Program.objects.set_up_by(request.user, pk)
    with timezone.override(program.timezone_name):
        form = EventForm(request.POST or None, program=program, user=request.user)
        if request.method == "POST" and form.is_valid():
            event = form.save()
            messages.success(request, f"Событие «{event}» добавлено. После него отметьте участие.")
            return redirect("roadmaps:events", pk=program.pk)
        return render(
            request,
            "roadmaps/events/event_form.html",
            {"program": program, "form": form, "event": None, "active": "events"},
        )


@require_safe
def event_search(request, pk):
    """Organizations and items for the pickers of the event form, through the form's choices."""
    program = Program.objects.set_up_by(request.user, pk)
    return form_search_response(request, EventForm(program=program, user=request.user))


def _editable_event(request, pk):
    event = visible_or_404(
        Event.objects.select_related("program__region", "program__municipality__region"),
        request.user,
        pk=pk,
    )
    return require(Event.objects.editable_by(request.user), event)


def event_edit(request, pk):
    event = _editable_event(request, pk)
    program = event.program
    with timezone.override(program.timezone_name):
        form = EventForm(request.POST or None, instance=event, program=program, user=request.user)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, "Событие сохранено.")
            return redirect("roadmaps:event", pk=event.pk)
        return render(
            request,
            "roadmaps/events/event_form.html",
            {"program": program, "form": form, "event": event, "active": "events"},
        )


@require_POST
def event_delete(request, pk):
    event = _editable_event(request, pk)
    program = event.program
    event.delete()
    messages.success(request, f"Событие «{event}» удалено.")
    return redirect("roadmaps:events", pk=program.pk)


def attendance(request, pk):
    """Mark who attended: every invited organization, present or not, and how many people, a
    page of `PAGE_SIZE` at a time (the form posts back to its page and saves only its rows)."""
    event = _editable_event(request, pk)
    page = page_of(request, attendance_organizations(event), "page")
    organizations = list(page)
    marked = {
        a.organization_id: a for a in event.attendances.filter(organization__in=organizations)
    }
    initial = [
        {
            "organization": org.pk,
            "present": org.pk in marked,
            "people_count": marked[org.pk].people_count if org.pk in marked else None,
            "note": marked[org.pk].note if org.pk in marked else "",
        }
        for org in organizations
    ]
    formset = AttendanceFormSet(
        request.POST or None,
        initial=initial,
        event=event,
        organizations=organizations,
        prefix="attendance",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            count = create_or_stale(formset.save)
        except StaleRevision:
            messages.warning(
                request,
                "В это же время участие отметил другой пользователь: проверьте отметки ниже и "
                "сохраните ещё раз, если нужно.",
            )
            return redirect("roadmaps:attendance", pk=event.pk)
        messages.success(request, f"Участие отмечено: организаций — {count}.")
        if page.has_other_pages():
            # Back to the same page, to go on with the next one.
            address = reverse("roadmaps:attendance", args=[event.pk])
            return redirect(f"{address}?page={page.number}")
        return redirect("roadmaps:event", pk=event.pk)
    names = {org.pk: org for org in organizations}
    rows = [(form, names.get(_int(form["organization"].value()))) for form in formset]
    with timezone.override(event.program.timezone_name):
        return render(
            request,
            "roadmaps/events/attendance.html",
            {
                "program": event.program,
                "event": event,
                "formset": formset,
                "rows": rows,
                "page": page,
                "started": event.starts_at <= timezone.now(),
                "active": "events",
            },
        )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
