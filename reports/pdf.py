"""The report as PDF: WeasyPrint lays out the same HTML the page shows, with PT Sans loaded
from the bundled files, so the output never depends on the fonts a server happens to have."""

import logging
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .html import font_paths, render_document

# WeasyPrint reports every CSS property it ignores (Bootstrap-free as we are, pygal's SVG styles
# still bring a few); those warnings say nothing about the report.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


class BundledFilesOnly(URLFetcher):
    """Fetches the bundled font files and nothing else: a report never reaches the network or
    reads other files, whatever text users put into it."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"})
        self.allowed = {str(path) for path in font_paths().values()}

    def fetch(self, url, headers=None):
        path = unquote(urlsplit(url).path)
        if path not in self.allowed:
            raise ValueError(f"Недоступный ресурс в отчёте: {url}")
        return super().fetch(url, headers)


def html_to_pdf(html):
    return HTML(string=html, url_fetcher=BundledFilesOnly()).write_pdf()


def render_pdf(report):
    return html_to_pdf(render_document(report))
