from django.shortcuts import render

from .access import visible_or_404
from .models import Organization, RiskProfile


def organization_detail(request, pk):
    organization = visible_or_404(
        Organization.objects.select_related("region", "municipality", "parent"), request.user, pk=pk
    )
    return render(
        request,
        "schools/organization_detail.html",
        {
            "organization": organization,
            "statuses": organization.statuses.all(),
            "branches": organization.branches.all(),
        },
    )


def risk_profile_detail(request, pk):
    profile = visible_or_404(RiskProfile.objects.select_related("school"), request.user, pk=pk)
    levels = profile.levels.select_related("factor")
    return render(
        request, "schools/risk_profile_detail.html", {"profile": profile, "levels": levels}
    )
