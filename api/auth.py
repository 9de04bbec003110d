"""The API's own bearer check: `Authorization: Bearer <token>` and nothing else (a token in
the address would end up in logs and browser history). No sign-in redirect: without a good
token the answer is 401, past the rate limit 429."""

from django.conf import settings
from ninja.security import HttpBearer

from .models import ApiToken, token_hash


class RateLimited(Exception):
    """The token has made `API_RATE_PER_MINUTE` requests this minute."""


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        found = ApiToken.objects.active().select_related("user").filter(key_hash=token_hash(token))
        api_token = found.first()
        if api_token is None:
            return None
        if not api_token.take_request(settings.API_RATE_PER_MINUTE):
            raise RateLimited
        # Every access rule reads `request.user`: the API answers with the person's rights.
        request.user = api_token.user
        return api_token
