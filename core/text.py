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


# Characters that change how a text displays without being seen: bidirectional overrides,
# embeddings and isolates (a title typed with U+202E reads backwards, «файл.exe» can show as
# «exe.лйаф»), and zero-width spaces, joiners and marks that make two equal-looking names differ.
INVISIBLE_CONTROLS = dict.fromkeys(
    [
        0x061C,  # arabic letter mark
        0x180E,  # mongolian vowel separator
        *range(
            0x200B, 0x2010
        ),  # zero-width space, (non-)joiner, left-to-right and right-to-left marks
        *range(0x202A, 0x202F),  # embeddings and overrides
        *range(0x2060, 0x2065),  # word joiner and invisible operators
        *range(0x2066, 0x206A),  # isolates
        0xFEFF,  # zero-width no-break space (byte order mark)
    ]
)

# Fields of any model that hold a name or a title, cleaned of those characters on every save.
NAME_FIELDS = frozenset(
    {"name", "short_name", "title", "short_title", "first_name", "last_name", "full_name"}
)


def strip_controls(text):
    """`text` without bidirectional controls and zero-width characters."""
    return text.translate(INVISIBLE_CONTROLS) if isinstance(text, str) else text


def clean_names(sender, instance, raw=False, **kwargs):
    """`pre_save` of every model: its names and titles lose invisible controls, whichever form,
    import, admin page or script saved them (connected in core.apps)."""
    if raw:
        return
    for field in instance._meta.concrete_fields:
        if field.name in NAME_FIELDS and field.get_internal_type() == "CharField":
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, strip_controls(value))
