from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Profile


class Validator(OAuth2Validator):
    """The ID token and the user info carry the e-mail, whether it is verified, and `amr` and
    `acr` (with the `openid` scope) as the user's profile says."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid", "acr": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        profile = Profile.objects.filter(user=user).first() or Profile(user=user)
        claims = {
            "email": user.email,
            "email_verified": profile.email_verified,
            "name": user.get_full_name() or user.username,
        }
        if profile.amr:
            claims["amr"] = profile.amr.split()
        if profile.acr:
            claims["acr"] = profile.acr
        return claims
