from django import forms

from .models import EmailOptOut, Kind


class EmailChoicesForm(forms.Form):
    """One checkbox per kind of notice: ticked — it also comes by e-mail."""

    def __init__(self, *args, muted, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Kind.choices:
            self.fields[value] = forms.BooleanField(
                label=label, required=False, initial=value not in muted
            )

    def save(self, user):
        off = [kind for kind in Kind.values if not self.cleaned_data.get(kind)]
        EmailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=kind) for kind in off], ignore_conflicts=True
        )
