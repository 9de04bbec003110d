"""A due round: what must be told now, derived from the data, stored as notifications.

Nothing in the other apps calls this module. Each round looks at the data as it is — events
ahead, deadlines, the status and history of values and documents, open monitoring points —
and proposes notices; the unique constraint on `Notification` drops those already stored, so
running a round again, or two at once, creates nothing twice. Dates («за 7 дней», «сегодня»)
are counted in each program region's time zone, and texts print times there.

An event's change or cancellation leaves no status behind, so the round remembers what it told:
each event notice keeps the event's state (start, end, place, link), and a later state differs;
an invitation whose event is gone, for an event still ahead, becomes a cancellation.
"""

from .base import Draft, RoundBase, Zones, store
from .consultations import ConsultationNotices
from .digests import DigestNotices, digest_lines
from .documents import DocumentNotices
from .events import EventNotices
from .items import ItemNotices
from .points import PointNotices
from .sheets import SheetNotices
from .values import ValueNotices

__all__ = ["Draft", "Round", "Zones", "digest_lines", "store"]


class Round(
    EventNotices,
    ItemNotices,
    ValueNotices,
    DocumentNotices,
    SheetNotices,
    PointNotices,
    ConsultationNotices,
    DigestNotices,
    RoundBase,
):
    """One pass over the data; `run()` stores the notices and returns how many are new."""

    def run(self):
        self.event_changes()
        self.events()
        self.cancellations()
        self.items()
        self.values()
        self.documents()
        self.sheets()
        self.points()
        self.consultations()
        self.digests()
        return store(self.drafts, self.now)
