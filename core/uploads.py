"""What a file must be to be accepted: one of the office, PDF and image formats the schools
send, no larger than `settings.MAX_UPLOAD_MB`, and with content that matches its extension
(a renamed executable is not a PDF). Every upload field of the portal uses `validate_upload`,
directly or through `UploadField` / `MultipleUploadField`.

Uploaded files are kept outside any public folder: they leave the server only through views
that check access. `discard_on_failure` removes files already written to storage when the
rest of the save fails, so a refused save leaves nothing on disk.
"""

import contextlib
import zipfile
import zlib
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

PDF = b"%PDF-"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (Compound File Binary)
ZIP = b"PK\x03\x04"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"

# ODF packages name their type in a first, uncompressed member called "mimetype".
ODF_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Office Open XML packages are recognised by their main part.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

SIGNATURES = {
    "pdf": PDF,
    "doc": OLE,
    "xls": OLE,
    "docx": ZIP,
    "xlsx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
FORMATS_TEXT = "PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG"


def max_upload_bytes():
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def extension_of(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def _head(file, size):
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


class PackageLimits:
    """How big a zip package (.docx, .xlsx, .odt, .ods) may declare itself before anything in
    it is inflated. A zip bomb is a small file whose entries declare — and inflate to —
    hundreds of megabytes; its central directory says so, and is read without inflating."""

    def __init__(self, *, entries, total_mb, entry_mb, ratio):
        self.entries = entries
        self.total = total_mb * 1024 * 1024
        self.entry = entry_mb * 1024 * 1024
        self.ratio = ratio


# Office documents of schools: text compresses some tens of times, pictures not at all.
UPLOAD_LIMITS = PackageLimits(entries=5000, total_mb=300, entry_mb=200, ratio=200)
# Entries smaller than this are never refused for their ratio (a run of empty cells packs well).
_RATIO_FLOOR = 1024 * 1024


class PackageRefused(Exception):
    """A zip package declares more than its limits allow; `message` says why, in Russian."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_package(package, limits):
    """Refuse a `zipfile.ZipFile` whose directory declares too many entries, too many
    uncompressed bytes in all or in one entry, or an absurd compression ratio. Reads only the
    central directory; inflates nothing."""
    infos = package.infolist()
    if len(infos) > limits.entries:
        raise PackageRefused(f"в архиве файла {len(infos)} частей, допустимо {limits.entries}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.entry:
            raise PackageRefused(
                f"часть «{info.filename[:80]}» распаковывается в "
                f"{filesizeformat(info.file_size)}, допустимо {filesizeformat(limits.entry)}"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            raise PackageRefused(
                f"часть «{info.filename[:80]}» сжата в {info.file_size // max(info.compress_size, 1)} "
                "раз — так сжимают только поддельные файлы"
            )
    if total > limits.total:
        raise PackageRefused(
            f"файл распаковывается в {filesizeformat(total)}, допустимо "
            f"{filesizeformat(limits.total)}"
        )


def read_entry(package, name, limit):
    """At most `limit` bytes of the entry, whatever it declares: what is past them is never
    inflated."""
    with package.open(name) as entry:
        return entry.read(limit)


def _package_matches(file, ext):
    """Whether the zip package is the document its extension says. `PackageRefused` when its
    directory is absurd."""
    try:
        with zipfile.ZipFile(file) as package:
            check_package(package, UPLOAD_LIMITS)
            names = set(package.namelist())
            if ext in ODF_TYPES:
                expected = ODF_TYPES[ext].encode("ascii")
                return (
                    "mimetype" in names
                    and read_entry(package, "mimetype", len(expected) + 2).strip() == expected
                )
            return OOXML_PARTS[ext] in names
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        RuntimeError,
        EOFError,
        zlib.error,
    ):
        return False
    finally:
        file.seek(0)


def validate_upload(file):
    """Refuse the file with a Russian message unless it is an allowed, non-empty file within
    the size limit whose content matches its extension."""
    name = PurePath(getattr(file, "name", "") or "").name
    ext = extension_of(name)
    if ext not in SIGNATURES:
        raise ValidationError(
            "Файл «%(name)s» не принят: допустимы только файлы %(formats)s.",
            code="extension",
            params={"name": name, "formats": FORMATS_TEXT},
        )
    size = getattr(file, "size", None) or 0
    if size == 0:
        raise ValidationError("Файл «%(name)s» пуст.", code="empty", params={"name": name})
    if size > max_upload_bytes():
        raise ValidationError(
            "Файл «%(name)s» слишком большой (%(size)s): допустимо не больше %(limit)s МБ.",
            code="size",
            params={"name": name, "size": filesizeformat(size), "limit": settings.MAX_UPLOAD_MB},
        )
    signature = SIGNATURES[ext]
    matches = _head(file, len(signature)) == signature
    if matches and signature == ZIP:
        try:
            matches = _package_matches(file, ext)
        except PackageRefused as refused:
            raise ValidationError(
                "Файл «%(name)s» не принят: %(reason)s.",
                code="package",
                params={"name": name, "reason": refused.message},
            ) from None
    if not matches:
        raise ValidationError(
            "Содержимое файла «%(name)s» не соответствует формату .%(ext)s: файл повреждён "
            "или переименован.",
            code="content",
            params={"name": name, "ext": ext},
        )


class UploadField(forms.FileField):
    """One file, checked by `validate_upload`."""

    default_validators = [validate_upload]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"{FORMATS_TEXT}; не больше {settings.MAX_UPLOAD_MB} МБ.",
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(UploadField):
    """Several files at once, each checked by `validate_upload`; cleans to a list."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files=10, **kwargs):
        self.max_files = max_files
        kwargs.setdefault(
            "help_text",
            f"Можно выбрать несколько файлов (до {max_files}): {FORMATS_TEXT}; "
            f"каждый не больше {settings.MAX_UPLOAD_MB} МБ.",
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                "Можно приложить не больше %(max)s файлов за раз.",
                code="too_many",
                params={"max": self.max_files},
            )
        errors, cleaned = [], []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


@contextlib.contextmanager
def discard_on_failure():
    """Collect the `FieldFile`s written during a save; if the save then fails, delete them from
    storage, since the database row that would point at them is rolled back."""
    written = []
    try:
        yield written
    except BaseException:
        for field_file in written:
            if field_file and field_file.name:
                field_file.storage.delete(field_file.name)
        raise


def file_response(field_file, filename):
    """Send a stored file as a download under its original name. The caller has already
    checked access; a file missing from storage is a 404, not a server error."""
    from django.http import FileResponse, Http404

    if not field_file or not field_file.name:
        raise Http404("Файл не загружен.")
    # An object store opens lazily and would fail mid-response: ask first.
    if not field_file.storage.exists(field_file.name):
        raise Http404("Файл не найден в хранилище.")
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("Файл не найден в хранилище.") from error
    response = FileResponse(handle, as_attachment=True, filename=filename)
    # Uploaded content is never rendered by the browser as a page of the portal.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
