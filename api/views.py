"""A person's API tokens: issued, named and revoked by the person on their settings page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken


def token_list(request):
    """The person's tokens and the form to issue one. A new token is shown once, in the answer
    to the form; it is never put in an address or kept anywhere readable."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        token, issued = services.issue_token(
            request.user, form.cleaned_data["name"], form.cleaned_data["days"], request=request
        )
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": ApiToken.objects.of(request.user).order_by("revoked_at", "-created_at"),
        },
    )
    # The page with a new token in it stays out of every cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
    if services.revoke_token(request.user, token, request=request):
        messages.success(request, f"Токен «{token.name}» отозван и больше не работает.")
    else:
        messages.info(request, f"Токен «{token.name}» уже был отозван.")
    return redirect("api:tokens")
