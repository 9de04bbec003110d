"""What is administered: programs of targeted support with their tasks, stages, modules and
participants, the curator pairs, and the documents schools submit for review."""

from .documents import Document, DocumentQuerySet, document_upload_to
from .parts import (
    TASK_NUMBER,
    ExpectedResult,
    Module,
    ParticipantRole,
    ProgramPart,
    Stage,
    Task,
)
from .people import (
    Agreement,
    AgreementQuerySet,
    Curator,
    CuratorPair,
    CuratorPairQuerySet,
    Participant,
    ParticipantQuerySet,
)
from .programs import DEFAULT_ENTRY_WINDOW_DAYS, Program, ProgramQuerySet
from .reviews import Review
from .versions import DocumentVersion, DocumentVersionQuerySet

__all__ = [
    "DEFAULT_ENTRY_WINDOW_DAYS",
    "TASK_NUMBER",
    "Agreement",
    "AgreementQuerySet",
    "Curator",
    "CuratorPair",
    "CuratorPairQuerySet",
    "Document",
    "DocumentQuerySet",
    "DocumentVersion",
    "DocumentVersionQuerySet",
    "ExpectedResult",
    "Module",
    "Participant",
    "ParticipantQuerySet",
    "ParticipantRole",
    "Program",
    "ProgramPart",
    "ProgramQuerySet",
    "Review",
    "Stage",
    "Task",
    "document_upload_to",
]
