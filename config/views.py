"""Pages that gather from every app, so they belong to the project rather than to one app:
the home page (what this person must do next) and a school's page."""

from collections import defaultdict
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from accounts import oidc
from config import home as plan
from core.access import reach, visible_or_404
from core.pagination import count_up_to
from core.uploads import file_response
from monitoring.models import Measurement, MonitoringPoint
from monitoring.summaries import school_indicator_rows
from programs.models import Curator, CuratorPair, Document, Participant, Program
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from schools.models import Organization, RiskFactor, RiskLevel, RiskProfile

# Home lists show this many rows; the counts beside them are of everything.
HOME_ROWS = 20
# The to-do counts stop here: past it the home says «более 1 000».
HOME_COUNT_LIMIT = 1000
DUE_SOON_DAYS = 14


# What an item's lateness needs (`RoadmapItem.is_late`): its program's region.
ITEM_PROGRAM_ZONE = ("roadmap__program__region", "roadmap__program__municipality__region")


def admin_file(request, name):
    """A stored file, as the admin links to it (MEDIA_URL). Only superusers, who may see every
    row in the admin, get it; everyone else gets 404, as for any object out of reach."""
    if not request.user.is_superuser:
        raise Http404
    try:
        # Refuses «..» and absolute names, whichever storage keeps the files.
        validate_file_name(name, allow_relative_path=True)
    except SuspiciousFileOperation as error:
        raise Http404 from error
    stored = SimpleNamespace(name=name, storage=default_storage)
    return file_response(stored, name.rsplit("/", 1)[-1])


class SignInView(auth_views.LoginView):
    """Django's sign-in, telling the person how many failures lock the account (django-axes
    counts them and answers with registration/locked.html)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "oidc_button": oidc.button_label(),
        }


def _values_by_sheet(measurements):
    """Values grouped by point and school, as links to the data-entry sheets: one query."""
    return list(
        measurements.order_by()
        .values(
            "point",
            "point__title",
            "point__date",
            "point__program__short_title",
            "organization",
            "organization__short_name",
        )
        .annotate(count=Count("pk", distinct=True))
        .order_by("point__date", "organization__short_name")[:HOME_ROWS]
    )


def _entry_links(user, points):
    """For people who enter values for a few schools (not coordinators of a territory): the
    schools of theirs that each open point is about, with how far each school's sheet has
    come, as {point id: [(school id, name, SheetProgress)]}; three queries."""
    r = reach(user)
    if r.is_territorial or not r.editor_schools:
        return {}
    schools = Organization.objects.data_editable_by(user).schools()
    programs = {point.program_id for point in points}
    by_program = defaultdict(dict)
    # The supported schools of `Program.supported_schools`, for several programs at once.
    for program_id, school_id, name in (
        Participant.objects.supported()
        .filter(organization__in=schools, program__in=programs)
        .values_list("program_id", "organization_id", "organization__short_name")
    ):
        by_program[program_id][school_id] = name
    school_ids = {school_id for named in by_program.values() for school_id in named}
    progress = Measurement.objects.visible_to(user).sheet_progress(points, school_ids)
    return {
        point.pk: [
            (school_id, name, progress[point.pk, school_id])
            for school_id, name in sorted(
                by_program[point.program_id].items(), key=lambda school: school[1]
            )
        ]
        for point in points
    }


@login_not_required
def home(request):
    """What this person must do next, whatever their role, and their programs and schools.
    A visitor who has not signed in sees the programs whose page is public."""
    user = request.user
    if not user.is_authenticated:
        return render(
            request,
            "base/public_home.html",
            {
                "programs": Program.objects.public()
                .select_related("municipality", "region")
                .order_by("short_title")
            },
        )
    now = timezone.now()
    today = timezone.localdate(now)

    reportable = RoadmapItem.objects.reportable_by(user)
    r = reach(user)
    if not r.is_territorial:
        # A school's and a curator's items count by their schools' own share of a shared item.
        reportable = reportable.as_seen_by(r.editor_schools | r.curated_schools)
    programs = list(reportable.programs())
    counts = reportable.due_soon_or_late(DUE_SOON_DAYS, now, programs).completion(now, programs)
    item_counts = {"total": counts["total"], "late": counts["late"]}
    late_groups, late_count = plan.late_groups(reportable, programs, now)

    points = (
        MonitoringPoint.objects.enterable_by(user, today)
        .select_related("program")
        .order_by("closing_day", "date")
    )
    point_rows = list(points[:HOME_ROWS])
    entry_links = _entry_links(user, point_rows)

    awaiting = Measurement.objects.approvable_by(user).awaiting_approval()
    returned = Measurement.objects.editable_by(user).filter(status=Measurement.Status.RETURNED)
    draft_values = Measurement.objects.drafts_to_finish(user, today)
    draft_profiles = RiskProfile.objects.drafts_to_finish(user).select_related("school")
    documents_to_review = Document.objects.reviewable_by(user).awaiting_review()
    documents_to_fix = Document.objects.editable_by(user).filter(
        status=Document.Status.NEEDS_REVISION
    )
    schools = Organization.objects.visible_to(user).schools().select_related("municipality")
    programs = Program.objects.visible_to(user).select_related("owner", "region", "municipality")
    return render(
        request,
        "base/home.html",
        {
            "today": today,
            "due_soon_days": DUE_SOON_DAYS,
            "count_limit": HOME_COUNT_LIMIT,
            "item_counts": item_counts,
            "week": plan.week(user, reportable, programs, now, today),
            "waiting": plan.waiting(user),
            "late_groups": late_groups,
            "late_count": late_count,
            # Late items in the roadmaps the home shows; the rest are in roadmaps left out.
            "late_shown": sum(group.count for group in late_groups),
            "pair_months": plan.pair_months(user, reportable, programs, now, today),
            "points": [(p, entry_links.get(p.pk, [])) for p in point_rows],
            "points_count": points.count(),
            "awaiting": _values_by_sheet(awaiting),
            "awaiting_count": count_up_to(awaiting, HOME_COUNT_LIMIT),
            "returned": _values_by_sheet(returned),
            "returned_count": count_up_to(returned, HOME_COUNT_LIMIT),
            "draft_values": _values_by_sheet(draft_values),
            "draft_values_count": draft_values.count(),
            "draft_profiles": draft_profiles[:HOME_ROWS],
            "draft_profiles_count": draft_profiles.count(),
            "documents_to_review": documents_to_review.select_related("organization", "program")[
                :HOME_ROWS
            ],
            "documents_to_review_count": documents_to_review.count(),
            "documents_to_fix": documents_to_fix.select_related("organization", "program")[
                :HOME_ROWS
            ],
            "documents_to_fix_count": documents_to_fix.count(),
            "schools": schools[:HOME_ROWS],
            "schools_count": schools.count(),
            "programs": programs[:HOME_ROWS],
            "programs_count": programs.count(),
        },
    )


def school_detail(request, pk):
    """A school's page: statuses by year, risk profile and its dynamics, pairs and curators,
    roadmap progress, indicator values against baseline and target, documents. Other kinds of
    organization show their record only."""
    user = request.user
    organization = visible_or_404(
        Organization.objects.select_related("region", "municipality", "parent"), user, pk=pk
    )
    context = {
        "organization": organization,
        "statuses": organization.statuses.all(),
        "branches": organization.branches.all(),
    }
    if organization.is_school:
        context.update(_school_sections(user, organization))
    return render(request, "schools/organization_detail.html", context)


def _school_sections(user, school):
    now = timezone.now()
    today = timezone.localdate(now)
    curators = Prefetch("curators", queryset=Curator.objects.select_related("user", "organization"))
    pairs = CuratorPair.objects.visible_to(user).select_related(
        "program", "curator_school", "supported_school"
    )
    profiles = list(
        RiskProfile.objects.visible_to(user)
        .submitted()
        .filter(school=school)
        .prefetch_related(Prefetch("levels", queryset=RiskLevel.objects.select_related("factor")))
        .order_by("-assessed_on")[:2]
    )
    newest = profiles[0] if profiles else None
    older = profiles[1] if len(profiles) > 1 else None
    items = RoadmapItem.objects.visible_to(user).filter(responsible=school)
    programs = list(
        RoadmapItem.objects.filter(
            Q(pk__in=items.values("pk"))
            | Q(roadmap__in=Roadmap.objects.visible_to(user).of_school(school))
        ).programs()
    )
    data_editable = Organization.objects.data_editable_by(user).contains(school)
    programs_supporting = Program.objects.supporting([school.pk])
    points = list(
        MonitoringPoint.objects.visible_to(user)
        .open_for_entry(today)
        .filter(program__in=programs_supporting)
        .select_related("program")
        .order_by("closing_day", "date")
    )
    progress = Measurement.objects.visible_to(user).sheet_progress(points, [school.pk])
    open_points = [(point, progress[point.pk, school.pk]) for point in points]
    return {
        "is_school": True,
        "supported_in": pairs.filter(supported_school=school).prefetch_related(curators),
        "curating": pairs.filter(curator_school=school).prefetch_related(curators),
        "risk_newest": newest,
        "risk_older": older,
        "risk_rows": newest.compare_with(older, RiskFactor.objects.all()) if newest else [],
        "roadmaps": Roadmap.objects.visible_to(user)
        .of_school(school)
        .with_progress(now, programs)
        .select_related("program"),
        # The school's own part of the items it is responsible for, as the dashboard's table by
        # responsible counts it.
        "item_progress": ItemExecution.objects.filter(
            organization=school, item__in=items
        ).completion(now, programs),
        "attention_items": items.as_seen_by([school.pk])
        .due_soon_or_late(DUE_SOON_DAYS, now, programs)
        .select_related(*ITEM_PROGRAM_ZONE)
        .order_by("due_on")[:HOME_ROWS],
        "indicator_rows": school_indicator_rows(user, school),
        "documents": Document.objects.visible_to(user)
        .filter(organization=school)
        .select_related("program", "risk_factor")
        .order_by("program_id", "kind", "title"),
        "open_points": open_points,
        "can_edit_data": data_editable,
        "can_edit_risk": data_editable,
        "today": today,
    }
