"""Shortening names for labels: dropdowns, table cells, breadcrumbs, titles of pages and reports.

Names in the field's documents are full of quotes — МБОУ «Русскинская СОШ», проект «Школьный
рывок» — and a label cut in the middle of one must still close it, or the reader sees
«…«Школьный рывок)». Every label that shortens a name goes through `shorten`.
"""

ELLIPSIS = "…"

# Opening quote → its closing quote. Straight quotes open and close with the same character.
PAIRED = {"«": "»", "„": "“", "(": ")"}
SAME = ('"',)


def _closers(text):
    """The quotes and brackets `text` leaves open, as the characters that close them, innermost
    first."""
    stack = []
    for ch in text:
        if ch in PAIRED:
            stack.append(PAIRED[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in SAME:
            stack.append(ch)
    return "".join(reversed(stack))


def shorten(text, limit):
    """`text` in at most `limit` characters: whole when it fits, otherwise cut at a word
    boundary, ended with «…» and with every quote and bracket it opened closed again
    («Проект «Школьный…»»)."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    while room > 0:
        head = text[:room]
        at_boundary = head[-1].isspace() or text[room : room + 1].isspace()
        if " " in head.rstrip() and not at_boundary:
            # Cut before the word the limit falls in, unless that leaves too little.
            word_start = head.rstrip().rfind(" ")
            if word_start >= room // 2:
                head = head[:word_start]
        head = head.rstrip(" ,;:—–-«„(")
        tail = ELLIPSIS + _closers(head)
        if len(head) + len(tail) <= limit:
            return head + tail
        room -= len(head) + len(tail) - limit
    return ELLIPSIS[:limit]
