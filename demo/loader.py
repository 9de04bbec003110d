"""The demo data: the five documents of ../shared/seeds as real programs, and one user for each
kind of person the portal serves.

Each document has its own module, its wording transcribed into Python structures verbatim; the
documents themselves ship in `documents/` as the source of record, and the tests check the
transcription against them. Nothing here parses the documents at run time."""

from forecasts.compute import recompute

from . import atkarsk, cycle, expertise, khunzakh, megion, perm, surgut, territory, users
from .upsert import Loader


def load(password, loader=None, today=None):
    """Load everything, upserting by natural keys; returns the loader with its counts, the
    programs and the demo users. The current cycle is dated from `today` (by default the
    portal's today) on the first load, and keeps its dates on every later one (`cycle.anchor`).
    The caller owns the transaction."""
    loader = loader or Loader()
    regions, municipalities = territory.load(loader)
    loaded = {
        name: module.load(loader, regions, municipalities)
        for name, module in [
            ("surgut", surgut),
            ("perm", perm),
            ("megion", megion),
            ("khunzakh", khunzakh),
            ("atkarsk", atkarsk),
        ]
    }
    people = users.load(
        loader,
        password,
        ministry=loaded["perm"]["ministry"],
        authority=loaded["surgut"]["authority"],
        pair=loaded["surgut"]["pairs"][surgut.SUPPORTED_SCHOOLS[0]],
        outsider_school=loaded["megion"]["school"],
    )
    day = cycle.anchor(loaded["surgut"]["program"], today)
    # Expertise, the bank and the current cycle need the demo users, so they come last.
    people = [
        *people,
        *expertise.load(loader, password, surgut=loaded["surgut"], perm=loaded["perm"], day=day),
    ]
    cycle.load(loader, loaded, day)
    programs = [part["program"] for part in loaded.values()]
    # The forecasts read the approved values loaded above, as the task does after approvals.
    for program in programs:
        recompute(program)
    return loader, programs, people
