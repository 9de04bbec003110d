"""Plans and what happens: roadmaps with their items and deadlines, progress reports with
evidence, events and who attended them."""

from .events import Attendance, Event, EventQuerySet
from .evidence import Evidence, EvidenceQuerySet, ItemReport, evidence_upload_to
from .items import (
    COMPLETION,
    ItemExecution,
    ItemExecutionQuerySet,
    ItemStatus,
    RoadmapItem,
    RoadmapItemQuerySet,
    completion_annotations,
    completion_share,
    done_on,
    late_condition,
    on_local_date,
    with_share,
)
from .roadmaps import Roadmap, RoadmapQuerySet

__all__ = [
    "Attendance",
    "COMPLETION",
    "Event",
    "EventQuerySet",
    "Evidence",
    "EvidenceQuerySet",
    "ItemExecution",
    "ItemExecutionQuerySet",
    "ItemReport",
    "ItemStatus",
    "Roadmap",
    "RoadmapItem",
    "RoadmapItemQuerySet",
    "RoadmapQuerySet",
    "completion_annotations",
    "completion_share",
    "done_on",
    "evidence_upload_to",
    "late_condition",
    "on_local_date",
    "with_share",
]
