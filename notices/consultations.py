"""The consultation line of a program: the list with the form to ask, a question's page with
the answer form, and the program's FAQ (public when the program's page is).

Access: the list and pages follow `Consultation.objects.visible_to`; answering and publishing
follow `answerable_by`; asking needs a school of the user's that takes part in the program."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render

from core.access import reach, require, visible_or_404
from programs.models import Program
from schools.models import Organization

from .forms import AnswerForm, QuestionForm
from .models import Consultation


def asking_organizations(user, program):
    """The schools where the user works (curators work at their curator school) that take
    part in the program: a question is asked on behalf of one of them."""
    own = reach(user).schools
    if not own:
        return Organization.objects.none()
    return (
        Organization.objects.filter(pk__in=own)
        .filter(
            Q(participations__program=program)
            | Q(supported_pairs__program=program)
            | Q(curator_pairs__program=program)
        )
        .distinct()
    )


def _program(request, pk):
    return visible_or_404(
        Program.objects.select_related("region", "municipality__region"), request.user, pk=pk
    )


def consultation_list(request, pk):
    program = _program(request, pk)
    user = request.user
    organizations = asking_organizations(user, program)
    form = None
    if organizations.exists():
        form = QuestionForm(
            request.POST or None, program=program, user=user, organizations=organizations
        )
    elif request.method == "POST":
        raise PermissionDenied("Задать вопрос может школа — участник программы.")
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.program = program
        question.asked_by = user
        question.save()
        messages.success(request, "Вопрос отправлен. Ответ придёт в уведомлениях.")
        return redirect(question)
    questions = (
        Consultation.objects.visible_to(user)
        .filter(program=program)
        .select_related("organization", "item", "asked_by", "answered_by")
    )
    return render(
        request,
        "notices/consultations.html",
        {
            "program": program,
            "questions": questions,
            "form": form,
            "waiting": questions.waiting().filter(
                pk__in=Consultation.objects.answerable_by(user).values("pk")
            ),
        },
    )


def consultation_detail(request, pk):
    question = visible_or_404(
        Consultation.objects.select_related("program", "organization", "item", "asked_by"),
        request.user,
        pk=pk,
    )
    answerable = Consultation.objects.answerable_by(request.user).contains(question)
    form = None
    if answerable:
        form = AnswerForm(request.POST or None, instance=question)
    if request.method == "POST":
        require(Consultation.objects.answerable_by(request.user), question)
        if form.is_valid():
            answer = form.save(commit=False)
            if "answer" in form.changed_data or not question.is_answered:
                answer.give_answer(request.user, form.cleaned_data["answer"])
            answer.save()
            messages.success(request, "Ответ сохранён. Автор вопроса получит уведомление.")
            return redirect(question)
    return render(
        request,
        "notices/consultation_detail.html",
        {"question": question, "program": question.program, "form": form},
    )


@login_not_required
def consultation_faq(request, pk):
    """The program's published answers: for everyone when the program's page is public,
    otherwise for those who see the program."""
    if request.user.is_authenticated:
        program = _program(request, pk)
    else:
        program = Program.objects.public().filter(pk=pk).first()
        if program is None:
            return redirect_to_login(request.get_full_path())
    return render(
        request,
        "notices/faq.html",
        {"program": program, "questions": program.consultations.faq().order_by("topic")},
    )
