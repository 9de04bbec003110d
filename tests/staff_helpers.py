"""Helpers of the department staff's tests (set-up, events, dashboards, imports)."""

import io

from openpyxl import Workbook


def xlsx(rows):
    """An .xlsx file (bytes) whose first sheet holds `rows` (the first is the header)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_decision(response):
    """What an import's preview offers, read from the page: the address the corrected file is
    sent to (None without errors) and the confirmation's address and token (None with errors).
    Both previews draw it with the one include `includes/import_decision.html`."""
    import re

    assert "includes/import_decision.html" in [t.name for t in response.templates]
    html = response.content.decode()
    upload = re.search(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"', html)
    confirm = re.search(
        r'<form method="post" action="([^"]+)" class="mb-3">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"[^>]*><input type="hidden" name="token" value="([^"]*)">',
        html,
    )
    return (
        upload.group(1) if upload else None,
        (confirm.group(1), confirm.group(2)) if confirm else None,
    )
