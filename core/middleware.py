"""Headers every response of a kind must carry, whichever view made it; the data a person's
request changed, remembered for their next."""

from django.http import FileResponse

from core.changes import written_since
from core.exports import XLSX_CONTENT_TYPE

DOWNLOAD_TYPES = {"application/pdf", XLSX_CONTENT_TYPE}


class PrivateDownloadsMiddleware:
    """Every PDF, workbook and file download leaves with `Cache-Control: private, no-store`:
    a report or a school's document is for the person who asked, and no proxy or shared
    browser cache may keep a copy of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if (
            content_type in DOWNLOAD_TYPES
            or isinstance(response, FileResponse)
            or response.get("Content-Disposition", "").startswith("attachment")
        ):
            response["Cache-Control"] = "private, no-store"
        return response


class DataWrittenMiddleware:
    """Remembers in the session the latest data-change mark a person's own request wrote
    (`core.changes`): the dashboards never show them figures older than their own save, even
    while another process is recomputing them (dashboards/cache.py)."""

    SESSION_KEY = "data_written"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with written_since() as written:
            response = self.get_response(request)
        session = getattr(request, "session", None)
        if written.latest is not None and session is not None:
            session[self.SESSION_KEY] = max(written.latest, session.get(self.SESSION_KEY, 0))
        return response
