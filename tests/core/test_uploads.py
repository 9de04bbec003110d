"""The upload check shared by every file field: allowed formats, size, content matching the
extension, in Russian."""

import pytest
from django.core.exceptions import ValidationError

from core.uploads import MultipleUploadField, validate_upload
from tests.scene import DOCX, JPEG, ODS, ODT, OLE, PDF, PNG, XLSX, upload


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("программа.pdf", PDF),
        ("план.doc", OLE),
        ("таблица.xls", OLE),
        ("концепция.docx", DOCX),
        ("мониторинг.xlsx", XLSX),
        ("отчёт.odt", ODT),
        ("сводная.ods", ODS),
        ("фото.jpg", JPEG),
        ("фото.JPEG", JPEG),
        ("скан.png", PNG),
    ],
)
def test_each_allowed_format_passes_when_its_content_matches(name, content):
    validate_upload(upload(name, content))


def messages_for(file):
    with pytest.raises(ValidationError) as caught:
        validate_upload(file)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("name", ["вирус.exe", "страница.html", "архив.zip", "без-расширения"])
def test_other_extensions_are_refused_naming_the_allowed_ones(name):
    message = messages_for(upload(name, PDF))
    assert f"Файл «{name}» не принят" in message
    assert "PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPG, PNG" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("программа.pdf", b"MZ\x90\x00 this is an executable"),
        ("фото.png", JPEG),
        ("план.doc", PDF),
        # A zip that is not a Word document, and a Word document named as a spreadsheet.
        ("концепция.docx", ODT),
        ("таблица.xlsx", DOCX),
        ("отчёт.odt", ODS),
        ("сводная.ods", b"PK\x03\x04 broken zip"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    message = messages_for(upload(name, content))
    assert f"Содержимое файла «{name}» не соответствует формату" in message


def test_an_empty_file_is_refused():
    assert "Файл «пусто.pdf» пуст." in messages_for(upload("пусто.pdf", b""))


def test_the_size_limit_comes_from_settings(settings):
    settings.MAX_UPLOAD_MB = 1
    big = upload("большой.pdf", PDF + b"0" * (1024 * 1024))
    assert "допустимо не больше 1 МБ" in messages_for(big)
    settings.MAX_UPLOAD_MB = 2
    validate_upload(upload("большой.pdf", PDF + b"0" * (1024 * 1024)))


def test_several_files_are_each_checked_and_every_bad_one_is_named():
    field = MultipleUploadField(required=False)
    good = upload("приказ.pdf", PDF)
    assert field.clean([good]) == [good]
    with pytest.raises(ValidationError) as caught:
        field.clean([upload("приказ.pdf", PDF), upload("a.exe", PDF), upload("b.png", PDF)])
    text = " ".join(caught.value.messages)
    assert "«a.exe» не принят" in text and "«b.png» не соответствует" in text
    assert field.clean([]) == []


def test_at_most_ten_files_are_taken_at_once():
    field = MultipleUploadField(required=False)
    with pytest.raises(ValidationError) as caught:
        field.clean([upload(f"{n}.pdf", PDF) for n in range(11)])
    assert "не больше 10 файлов" in caught.value.messages[0]
