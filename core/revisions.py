"""Two people editing the same row: the later save over a newer change is refused.

Every form that changes a `RevisionedModel` carries the revision it was built from as a hidden
field (`RevisionFormMixin`). Before writing, the service calls `claim(instance, seen)`: a
conditional UPDATE that matches only if the stored revision is still the one the person saw.
The UPDATE takes the row's write lock (a row lock on PostgreSQL, the database write lock on
SQLite) until the transaction ends, so a second writer either waits and then finds the newer
revision, or is refused at once; nothing is silently overwritten on either database.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, models, transaction


class RevisionedModel(models.Model):
    """A row that two people may edit at once. Forms carry the `revision` they were built from;
    a save that finds a newer revision is refused instead of overwriting the other change."""

    revision = models.PositiveIntegerField("редакция", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.revision += 1
        super().save(*args, **kwargs)


STALE_MESSAGE = (
    "Пока вы редактировали, эти данные изменил другой пользователь. Ваши изменения не "
    "сохранены: проверьте введённое ниже и сохраните ещё раз, если оно по-прежнему верно."
)


class StaleRevision(Exception):
    """The row was saved by someone else after the form was built."""

    def __init__(self, current: int | None):
        super().__init__(STALE_MESSAGE)
        self.current = current
        self.message = STALE_MESSAGE


def claim(instance, seen: int | None):
    """Make sure nobody saved `instance` since revision `seen`, and hold the row until the
    transaction ends. `seen` of 0 (or None) means the form was built before the row existed:
    then the row must still be unsaved. Raises `StaleRevision`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside a transaction.")
    model = type(instance)
    if instance.pk is None:
        if seen:
            raise StaleRevision(None)
        return instance
    claimed = model._base_manager.filter(pk=instance.pk, revision=seen).update(revision=seen)
    if not claimed:
        current = model._base_manager.filter(pk=instance.pk).values_list("revision", flat=True)
        raise StaleRevision(current.first())
    # save() adds one to the revision it holds, so the row ends at seen + 1.
    instance.revision = seen
    return instance


def create_or_stale(save):
    """Run `save` (which inserts a row under a unique constraint) in a savepoint and turn a
    clash with a row someone else inserted meanwhile into `StaleRevision`."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as error:
        raise StaleRevision(None) from error


class RevisionFormMixin:
    """Adds the hidden `revision` field to a form. The object it guards is `self.instance` for
    model forms; other forms pass `revisioned=` to the constructor."""

    def __init__(self, *args, revisioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.revisioned = revisioned if revisioned is not None else getattr(self, "instance", None)
        current = (
            self.revisioned.revision if self.revisioned is not None and self.revisioned.pk else 0
        )
        self.fields["revision"] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=0,
            initial=current,
            # A form that creates the row has nothing to be stale against.
            required=bool(current),
            error_messages={
                "required": "Форма устарела: откройте страницу заново.",
                "invalid": "Форма устарела: откройте страницу заново.",
            },
        )

    def full_clean(self):
        super().full_clean()
        # A hidden field's error would show nowhere: say it above the form instead.
        if self._errors and "revision" in self._errors:
            for message in self._errors.pop("revision"):
                self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
                self._errors[NON_FIELD_ERRORS].append(message)

    @property
    def seen_revision(self):
        return self.cleaned_data.get("revision") or 0

    def refuse_stale(self, error: StaleRevision):
        """Show the conflict beside the form and keep what was typed. The hidden revision moves
        to the stored one, so sending the form again is a deliberate choice to overwrite."""
        self.add_error(None, error.message)
        if self.is_bound:
            data = self.data.copy()
            data[self.add_prefix("revision")] = error.current or 0
            self.data = data
