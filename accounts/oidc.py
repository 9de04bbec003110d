"""Sign-in through the region's identity provider over OpenID Connect (mozilla-django-oidc).

The provider (ЕСИА behind the region's gateway, or any OpenID Connect provider) is configured
from the environment only (config/settings.py, OIDC_*); without it the sign-in page has no
button and the two pages below answer 404.

Whom a sign-in there opens (`match`): nobody's account is ever created by it.
- the account already linked to the provider's `sub` (under that issuer), if it is active;
- else, only when the provider says the e-mail is verified (`email_verified`), the one active
  account with that e-mail that came through an invitation its person accepted; the `sub` is
  then stored (`ExternalIdentity`) and used from then on, whatever the e-mail becomes;
- anyone else is refused, with a message on the sign-in page and an event in the audit trail.

The second factor: when the ID token's `amr` lists, or its `acr` is, one of OIDC_ACR_VALUES_2FA,
the session counts as having given it (`second_factor.passed_at_provider`); otherwise the
portal's own code follows as after a password.
"""

import hashlib
import logging
from dataclasses import dataclass

import jwt
import requests
from django.apps import apps
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import audit, second_factor
from .models import ExternalIdentity

log = logging.getLogger(__name__)

# The session, once signed in, is loaded by Django's own backend, like one signed in by
# password (or by accepting an invitation): `ProviderBackend` is never asked by
# `django.contrib.auth.authenticate`, so a password sign-in never reaches it.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
DISCOVERY_SECONDS = 60 * 60
METHOD = "OpenID Connect"

REFUSALS = {
    "unknown": "Учётная запись для этого входа не найдена. "
    "Обратитесь к координатору за приглашением.",
    "unverified": "Провайдер не подтвердил адрес электронной почты этой учётной записи, "
    "поэтому сопоставить её с приглашением нельзя. Подтвердите адрес у провайдера "
    "или войдите по паролю.",
    "inactive": "Учётная запись на портале отключена. Обратитесь к координатору.",
    "provider": "Вход через провайдера не удался. Попробуйте ещё раз или войдите по паролю.",
    "unavailable": "Вход через провайдера сейчас недоступен. Войдите по паролю "
    "или попробуйте позже.",
    "state": "Вход через провайдера не завершён: начните его заново с кнопки на странице входа.",
}


def enabled():
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (settings.OIDC_DISCOVERY_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    )


def button_label():
    """The sign-in page's button, or None when the provider is not configured."""
    return settings.OIDC_BUTTON_LABEL if enabled() else None


class ProviderUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


def provider():
    """The provider's endpoints: those set by hand, the rest from its discovery document (kept
    in the shared cache for an hour)."""
    found = {}
    url = settings.OIDC_DISCOVERY_URL
    if url:
        key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            try:
                response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
                response.raise_for_status()
                found = response.json()
            except (requests.RequestException, ValueError) as error:
                raise ProviderUnavailable(str(error)) from error
            cache.set(key, found, DISCOVERY_SECONDS)
    endpoints = Provider(
        issuer=settings.OIDC_OP_ISSUER or found.get("issuer", ""),
        authorization_endpoint=settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        or found.get("authorization_endpoint", ""),
        token_endpoint=settings.OIDC_OP_TOKEN_ENDPOINT or found.get("token_endpoint", ""),
        userinfo_endpoint=settings.OIDC_OP_USER_ENDPOINT or found.get("userinfo_endpoint", ""),
        jwks_uri=settings.OIDC_OP_JWKS_ENDPOINT or found.get("jwks_uri", ""),
    )
    if not (endpoints.authorization_endpoint and endpoints.token_endpoint):
        raise ProviderUnavailable("the provider's endpoints are not known")
    return endpoints


@dataclass
class Match:
    user: object = None
    refusal: str = ""
    linked: bool = False


def _verified(claims):
    # Some providers send the boolean as a string.
    return claims.get("email_verified") in (True, "true", "True")


def invited_people():
    """Active accounts that came through an invitation their person accepted (the account has
    been signed in to, which accepting an invitation does)."""
    Invitation = apps.get_model("notices", "Invitation")
    return (
        get_user_model()
        .objects.filter(is_active=True, invitations__isnull=False)
        .exclude(pk__in=Invitation.objects.not_signed_in().values("user"))
        .distinct()
    )


def match(issuer, claims):
    """Whom the provider's `claims` sign in (see the module's docstring); the `sub` is stored
    on a match by e-mail."""
    sub = str(claims.get("sub") or "")
    if not issuer or not sub:
        return Match(refusal="provider")
    identity = (
        ExternalIdentity.objects.filter(issuer=issuer, sub=sub).select_related("user").first()
    )
    if identity is not None:
        user = identity.user
        return Match(user=user) if user.is_active else Match(user=user, refusal="inactive")
    email = str(claims.get("email") or "").strip()
    if not email:
        return Match(refusal="unknown")
    if not _verified(claims):
        return Match(refusal="unverified")
    same_email = get_user_model().objects.filter(email__iexact=email)
    candidates = list(invited_people().filter(email__iexact=email)[:2])
    if len(candidates) != 1:
        inactive = same_email.filter(is_active=False).first()
        if not candidates and inactive is not None:
            return Match(user=inactive, refusal="inactive")
        return Match(refusal="unknown")
    user = candidates[0]
    if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
        # Linked to another account of the same provider: that one signs in, not a second.
        return Match(user=user, refusal="unknown")
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(user=user, issuer=issuer, sub=sub)
    except IntegrityError:
        # The same sign-in finished twice at once: the other stored it.
        pass
    return Match(user=user, linked=True)


def second_factor_given(claims):
    """Whether the provider says a second factor was used (OIDC_ACR_VALUES_2FA)."""
    accepted = {value.strip() for value in settings.OIDC_ACR_VALUES_2FA if value.strip()}
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    return bool(accepted & {str(value) for value in amr}) or claims.get("acr") in accepted


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code exchange and ID-token check (signature, nonce), with the
    issuer and audience checked too, the endpoints from `provider()`, and `match` in place of
    its find-or-create by e-mail."""

    def __init__(self, endpoints):
        self.endpoints = endpoints
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()
        self.match = Match(refusal="provider")
        self.claims = {}

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if self.endpoints.issuer and payload.get("iss") != self.endpoints.issuer:
            raise SuspiciousOperation("The token's issuer is not the provider's.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The token is not meant for this portal.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if str(userinfo.get("sub")) != str(payload.get("sub")):
                raise SuspiciousOperation("The user info is about someone else.")
            # The ID token's own claims (issuer, sub, acr, amr) win.
            claims = {**userinfo, **payload}
        self.claims = claims
        self.match = match(payload.get("iss") or self.endpoints.issuer, claims)
        return None if self.match.refusal else self.match.user


def refuse(request, reason, *, user=None, **details):
    """Back to the sign-in page with the reason, recorded as a failed sign-in."""
    audit.record(
        audit.Action.SIGN_IN_FAILED,
        actor=None,
        target=user,
        request=request,
        where=METHOD,
        reason=reason,
        **details,
    )
    messages.error(request, REFUSALS[reason])
    return redirect("login")


class StartView(OIDCAuthenticationRequestView):
    """The button: off to the provider's sign-in with a fresh state, nonce and PKCE verifier."""

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except ProviderUnavailable as error:
            log.warning("OpenID Connect provider unavailable: %s", error)
            messages.error(request, REFUSALS["unavailable"])
            return redirect("login")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: the code is exchanged, the person matched and signed in."""

    def get(self, request):
        if not enabled():
            raise Http404
        states = request.session.get("oidc_states") or {}
        entry = states.pop(request.GET.get("state", ""), None)
        if entry is None:
            return refuse(request, "state")
        # Each state is used once, even when the sign-in fails.
        request.session["oidc_states"] = states
        if request.GET.get("error") or not request.GET.get("code"):
            return refuse(request, "provider", error=request.GET.get("error", "")[:100])
        next_url = request.session.get("oidc_login_next")
        try:
            backend = ProviderBackend(provider())
            user = backend.authenticate(
                request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except (
            ProviderUnavailable,
            requests.RequestException,
            SuspiciousOperation,
            jwt.PyJWTError,
            ValueError,
            KeyError,
        ) as error:
            log.warning("OpenID Connect sign-in failed: %s", error)
            return refuse(request, "provider")
        claims, found = backend.claims, backend.match
        who = {
            "issuer": claims.get("iss", ""),
            "sub": str(claims.get("sub", "")),
            "email": str(claims.get("email", ""))[:254],
        }
        if user is None:
            return refuse(request, found.refusal or "provider", user=found.user, **who)
        with_factor = second_factor_given(claims)
        request.sign_in_method = METHOD + (", второй фактор у провайдера" if with_factor else "")
        auth.login(request, user, backend=SESSION_BACKEND)
        second_factor.set_passed_at_provider(request, with_factor)
        if found.linked:
            audit.record(
                audit.Action.EXTERNAL_IDENTITY_LINKED,
                actor=user,
                target=user,
                request=request,
                **who,
            )
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
