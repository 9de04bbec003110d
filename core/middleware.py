"""Headers every response of a kind must carry, whichever view made it; the data a person's
request changed, remembered for their next."""

from django.conf import settings
from django.http import FileResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

from core import timezones
from core.access import reach
from core.changes import written_since
from core.exports import XLSX_CONTENT_TYPE
from core.requests import has_nul

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


class PersonZoneMiddleware:
    """A signed-in person reads every time (`|moment`, `core.timezones.moment`) on the clock of
    their organization's region, else `TIME_ZONE`; a page about one program writes its times on
    the program's clock (`{% timezone %}`, `timezone.override`). Only the writing changes: the
    portal's «today» stays the server's. `Reach` carries the zone, so this costs no query a
    page would not make anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with timezones.person_zone(reach(user).zone or settings.TIME_ZONE):
            return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL byte in the path, the query or a posted form answers 400 before any view runs:
    PostgreSQL refuses it in every text, so it could only ever end as a server error (a search,
    a picker, a calendar feed's token, a file name)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page made for a signed-in person, and every calendar feed (its address is the key),
    leaves with `Cache-Control: private, no-store`, so that no shared proxy nor the browser of a
    school's shared computer keeps a copy. Public pages keep what their view set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.get("Content-Type", "").startswith("text/calendar"):
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
