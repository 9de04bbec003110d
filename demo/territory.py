"""The four regions and four municipalities of the five documents.

ХМАО – Югра holds two of them (Сургутский район and г. Мегион), so the territory is loaded once
here rather than by each document's module."""

from schools.models import Municipality, Region

# (code, name, timezone). Codes are the subjects' codes; the time zone is the one the region's
# events are shown in.
REGIONS = [
    ("86", "Ханты-Мансийский автономный округ – Югра", "Asia/Yekaterinburg"),
    ("59", "Пермский край", "Asia/Yekaterinburg"),
    ("05", "Республика Дагестан", "Europe/Moscow"),
    ("64", "Саратовская область", "Europe/Saratov"),
]

# (region code, name, kind). Пермский край's project is regional and names no municipality.
MUNICIPALITIES = [
    ("86", "Сургутский район", Municipality.Kind.DISTRICT),
    ("86", "г. Мегион", Municipality.Kind.CITY),
    ("05", "Хунзахский район", Municipality.Kind.DISTRICT),
    ("64", "Аткарский район", Municipality.Kind.DISTRICT),
]


def load(loader):
    """Regions by code and municipalities by name."""
    regions = {
        code: loader.upsert(Region, {"code": code}, {"name": name, "timezone": timezone})
        for code, name, timezone in REGIONS
    }
    municipalities = {
        name: loader.upsert(Municipality, {"region": regions[code], "name": name}, {"kind": kind})
        for code, name, kind in MUNICIPALITIES
    }
    return regions, municipalities
