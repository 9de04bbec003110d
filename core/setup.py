"""Pieces the set-up screens of every app share."""

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

IN_USE = "Удалить нельзя: на эту запись ссылаются другие данные."


def delete_unless_blocked(request, obj, done):
    """Delete `obj` unless something depends on it, and say which it was. The model names what
    blocks its deletion (`deletion_blocker()`: a Russian sentence, or "" when nothing does); a
    PROTECT foreign key that the model did not name is caught too, so the database has the last
    word and a refusal is never a server error. Returns whether the row was deleted."""
    blocker = obj.deletion_blocker() if hasattr(obj, "deletion_blocker") else ""
    if not blocker:
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError):
            blocker = IN_USE
    if blocker:
        messages.error(request, blocker)
        return False
    messages.success(request, done)
    return True
