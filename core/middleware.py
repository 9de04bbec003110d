"""Headers every response of a kind must carry, whichever view made it."""

from django.conf import settings
from django.http import FileResponse

from core import timezones
from core.access import reach
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
