"""Guessing the header of an imported table: which of its top rows names the columns (title
rows of an order or a results table may stand above it), and what each column holds. Both
imports of tables as people make them — a roadmap's plan table and a table of assessment
results — guess this way; each brings its own `meaning_of(header text)`."""

# Title rows above the header: an order's heading, «Результаты ВПР-2023 по району», a blank.
HEADER_SEARCH_ROWS = 10


def header_row(rows, meaning_of, *, enough=2, fallback=None, search=HEADER_SEARCH_ROWS):
    """The index of the header row among the top `search` rows: the first naming at least
    `enough` different meanings, else the first naming `fallback`; None when none does."""
    named = [{m for cell in row if (m := meaning_of(cell))} for row in rows[:search]]
    for index, found in enumerate(named):
        if len(found) >= enough:
            return index
    if fallback is not None:
        for index, found in enumerate(named):
            if fallback in found:
                return index
    return None


def column_meanings(headers, width, meaning_of, skip):
    """Each column's meaning from its header text; a meaning goes to the first column that
    names it (a header merged over two columns repeats), the others get `skip`."""
    taken, meanings = set(), []
    for index in range(width):
        text = headers[index] if index < len(headers) else ""
        meaning = meaning_of(text)
        if meaning is None or meaning in taken:
            meaning = skip
        taken.add(meaning)
        meanings.append(meaning)
    return meanings
