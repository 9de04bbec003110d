from django import forms
from django.conf import settings


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Назначение",
        max_length=100,
        help_text="Например: «Хранилище данных министерства»",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The longest term is a setting, read when the form is made.
        self.fields["days"] = forms.IntegerField(
            label="Срок действия, дней",
            min_value=1,
            max_value=settings.API_TOKEN_MAX_DAYS,
            initial=90,
            help_text=f"От 1 до {settings.API_TOKEN_MAX_DAYS}; после него токен перестаёт работать",
        )
