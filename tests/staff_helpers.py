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
