"""An invitation's link is dead once the person is deactivated, and the same invitation sent
twice is answered with a form error."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from notices.models import Invitation

pytestmark = pytest.mark.django_db

PERSON = {
    "last_name": "Иванова",
    "first_name": "Мария Петровна",
    "email": "ivanova@school.ru",
    "role": "staff",
}


def link(message):
    return re.search(r"http://[^\s]+/notices/invitations/accept/[^\s]+/", message.body).group(0)


def test_a_deactivated_person_cannot_set_a_password_through_the_old_letter(world, as_user):
    as_user(world.coordinator).post(
        "/notices/invitations/new/", {**PERSON, "organization": world.supported_school.pk}
    )
    person = get_user_model().objects.get(email="ivanova@school.ru")
    person.is_active = False
    person.save()
    visitor = Client()
    page = visitor.get(link(mail.outbox[0]), follow=True)
    assert not page.context["validlink"]
    # Not even a post to the form's own address sets it.
    visitor.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link(mail.outbox[0]),
        {
            "new_password1": "Вектор-2023-развитие",
            "new_password2": "Вектор-2023-развитие",
            "consent": "on",
        },
    )
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_an_invitation_already_written_by_another_request_is_a_form_error(
    world, as_user, monkeypatch
):
    """The second of two identical posts passes the form's check before the first is written
    (a double click): the database refuses it and the person reads why."""
    client = as_user(world.coordinator)
    data = {**PERSON, "organization": world.supported_school.pk}
    assert client.post("/notices/invitations/new/", data).status_code == 302
    monkeypatch.setattr(
        "notices.forms.InvitationForm.clean_email", lambda form: "ivanova@school.ru"
    )
    response = client.post("/notices/invitations/new/", data)
    assert response.status_code == 200
    assert "Пользователь с таким адресом уже есть" in str(response.context["form"].errors)
    assert Invitation.objects.count() == 1
