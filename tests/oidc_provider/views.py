from django.contrib.auth import get_user_model, login
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Profile

FORM = """<!doctype html><title>Test provider</title>
<form method="post" action="">
<input type="hidden" name="csrfmiddlewaretoken" value="{}">
<input type="hidden" name="next" value="{}">
<input name="username"> <input name="email"> <input name="email_verified" type="checkbox">
<input name="amr"> <input name="acr">
<button type="submit">Sign in</button>
</form>"""


def sign_in(request):
    """Signs in the user name given (made on first use), with the profile the form says."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST":
        user, _ = get_user_model().objects.get_or_create(username=request.POST["username"])
        user.email = request.POST.get("email", "")
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "email_verified": bool(request.POST.get("email_verified")),
                "amr": request.POST.get("amr", ""),
                "acr": request.POST.get("acr", ""),
            },
        )
        login(request, user)
        return HttpResponseRedirect(next_url)
    return HttpResponse(format_html(FORM, get_token(request), next_url))
