"""PDFs a coordinator sends upward as they are, checked on the demo's five programs: no page but
the last is mostly empty, no page ends with a heading whose text went to the next one, and the
charts write numbers with the decimal comma. Pages are read as text with pypdf and looked at as
pictures with poppler's `pdftoppm`."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageOps

from programs.models import Program
from reports.kinds import KINDS
from reports.pdf import render_pdf
from tests import factories as f

from .reporting import pdf_page_texts

pytestmark = pytest.mark.django_db

# A page whose body's ink stops above this share of its height is «mostly empty»: the half.
# Charts, two to a line, are capped in height so that two lines share a landscape page even
# when point names wrap on three lines under the axis.
LEAST_FILL = 0.5
# The page's margins (templates/reports/report_pdf.html), where the running header and the
# footer stand: they are not the page's body.
TOP_MM, BOTTOM_MM = 18, 15


def fills(pdf):
    """For each page, how far down the body's ink reaches, as a share of the body's height."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "30", "-gray", str(source), str(Path(folder) / "page")],
            check=True,
        )
        pages = sorted(Path(folder).glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
        result = []
        for path in pages:
            with Image.open(path) as image:
                width, height = image.size
                page_mm = 297 if height > width else 210
                top = round(height * TOP_MM / page_mm)
                bottom = height - round(height * BOTTOM_MM / page_mm)
                body = ImageOps.invert(image.crop((0, top, width, bottom)))
                ink = body.point(lambda v: 255 if v > 60 else 0).getbbox()
                result.append(0 if ink is None else ink[3] / body.height)
        return result


def stranded_headings(report, pdf):
    """Headings printed as the last text of their page, their content on the next page."""
    pages = pdf_page_texts(pdf)
    found = []
    for section in report.sections:
        heading = " ".join(section.heading.split())
        for number, text in enumerate(pages[:-1]):
            body = re.sub(r"стр\. \d+ из \d+", "", text)
            body = body.replace(" ".join(f"Сформирован {report.made_text}".split()), "")
            if heading in body and not body.split(heading, 1)[1].strip():
                found.append((number + 1, heading))
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0, allow_production=True)
    return f.UserFactory(username="demo-layout", is_superuser=True)


def reports_of(program, user):
    yield KINDS["passport"].build(program, user)
    yield KINDS["half-year"].build(program, user)
    yield KINDS["events"].build(program, user)
    for point in program.points.order_by("date")[:1]:
        yield KINDS["note"].build(point, user)
    for roadmap in program.roadmaps.order_by("pk")[:1]:
        yield KINDS["roadmap"].build(roadmap, user)
    for pair in program.pairs.select_related("supported_school")[:1]:
        yield KINDS["school"].build(pair.supported_school, user)


def test_no_page_is_mostly_empty_or_ends_with_a_heading(demo):
    problems = []
    for program in Program.objects.order_by("pk"):
        for report in reports_of(program, demo):
            pdf = render_pdf(report)
            name = f"{program.short_title}: {report.title}"
            for number, fill in enumerate(fills(pdf)[:-1], start=1):
                if fill < LEAST_FILL:
                    problems.append(f"{name}, стр. {number}: заполнена на {fill:.0%}")
            problems += [
                f"{name}, стр. {n}: «{h}» в конце страницы"
                for n, h in stranded_headings(report, pdf)
            ]
            # Tables and charts alike write «78,4 %», never «78.4 %».
            problems += [
                f"{name}: «{found}» с точкой"
                for found in re.findall(r"\d+\.\d+ ?%", " ".join(pdf_page_texts(pdf)))
            ]
    assert problems == [], "\n".join(problems)
