"""Pages that gather from every app, so they belong to the project rather than to one app."""

from django.shortcuts import render

from programs.models import Program


def home(request):
    programs = Program.objects.visible_to(request.user).select_related(
        "owner", "region", "municipality"
    )
    return render(request, "base/home.html", {"programs": programs})
