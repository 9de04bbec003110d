"""Helpers of the department staff's tests (set-up, events, dashboards, imports).

`fast_passwords` is autouse in every module that imports it: factory users are hashed with MD5
instead of PBKDF2, which otherwise costs about half a second per user and dominates these tests.
"""

import io

import pytest
from openpyxl import Workbook


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def xlsx(rows):
    """An .xlsx file (bytes) whose first sheet holds `rows` (the first is the header)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_of(response, field=None):
    """The form's errors on the page: of one field, or all."""
    form = response.context["form"]
    return form.errors.get(field, []) if field else form.errors


def matrix(world, allowed=("coordinator", "region")):
    """Who should get what: those allowed → ok, the other municipality's coordinator and the
    outsider → 404, those who see the program but may not change it → 403."""
    expected = {}
    for name in world.people:
        if name in allowed:
            expected[name] = "ok"
        elif name in ("other_coordinator", "outsider"):
            expected[name] = 404
        else:
            expected[name] = 403
    return expected
