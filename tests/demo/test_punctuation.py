"""The demo keeps its documents' punctuation: no text the demo stores, and no passport built
from it, doubles a separator («;;»)."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction
from django.test.utils import override_settings
from django.urls import reverse

from programs.models import ParticipantRole, Program

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
DOMAIN_APPS = ("schools", "programs", "roadmaps", "monitoring")
# «;;», «,,», «;.», «,;», «..» (not an ellipsis «...»), and a separator after a space.
DOUBLED = re.compile(r"[;,]\s*[;,.]|(?<!\.)\.\.(?!\.)|\s[;,](?!\d)")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), FAST_HASHER, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO(), allow_production=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return None


def text_fields(model):
    return [
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]


def test_no_demo_text_doubles_a_separator(loaded):
    found = []
    for model in apps.get_models():
        fields = text_fields(model)
        if model._meta.app_label not in DOMAIN_APPS or not fields:
            continue
        for row in model.objects.values("pk", *fields):
            for name in fields:
                for match in DOUBLED.finditer(row[name] or ""):
                    found.append((model.__name__, row["pk"], name, match.group()))
    assert found == []


def test_the_roles_read_as_the_order_punctuates_them(loaded):
    perm = Program.objects.get(short_title="Адресная методическая помощь")
    ministry = perm.roles.first()
    assert ministry.functions_text.startswith(
        "разработку и утверждение правовых актов по реализации Проекта в Пермском крае; "
        "формирование перечня"
    )
    assert ministry.functions_text.endswith("в неблагоприятных социальных условиях».")


def test_lines_typed_without_an_ending_are_separated_once():
    role = ParticipantRole(functions="мониторинг\nанализ;\nотчёт")
    assert role.functions_text == "мониторинг; анализ; отчёт."


def test_no_passport_of_a_demo_program_doubles_a_separator(loaded, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    for program in Program.objects.all():
        html = client.get(reverse("reports:report", args=["passport", program.pk])).content
        text = re.sub(r"<[^>]+>", " ", html.decode())
        assert ";;" not in text and "; ;" not in text, program.short_title
