from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from schools.access import visible_or_404

from .models import Document, Program


def program_detail(request, pk):
    program = visible_or_404(
        Program.objects.select_related("owner", "operator", "region", "municipality"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "tasks": program.tasks.all(),
            "stages": program.stages.all(),
            "modules": program.modules.all(),
            "roles": program.roles.select_related("organization"),
            "results": program.expected_results.all(),
            "participants": program.participants.select_related("organization"),
            "pairs": program.pairs.select_related("curator_school", "supported_school"),
            "can_edit": Program.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@login_not_required
def program_public(request, pk):
    """The program's public page: purpose, participants, upcoming events."""
    program = get_object_or_404(Program.objects.public(), pk=pk)
    return render(
        request,
        "programs/program_public.html",
        {
            "program": program,
            "tasks": program.tasks.all(),
            "participants": program.participants.select_related("organization"),
            "events": program.events.filter(starts_at__gte=timezone.now()).order_by("starts_at")[
                :20
            ],
        },
    )


def document_detail(request, pk):
    document = visible_or_404(
        Document.objects.select_related("program", "organization", "risk_factor"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "programs/document_detail.html",
        {"document": document, "versions": document.versions.all()},
    )
