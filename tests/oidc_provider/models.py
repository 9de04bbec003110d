from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What the provider says about a user besides the e-mail: whether the e-mail is verified
    and how the user signed in (`amr`, space-separated; `acr`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    email_verified = models.BooleanField(default=False)
    amr = models.CharField(max_length=100, blank=True)
    acr = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.user.username
