"""Regions saved with a zone Python does not know (typed by hand before the zone was chosen from
a list: «Moscow+3», «UTC+5») get the zone of Russia it names, else Moscow's; the next migration
then lets the database refuse any zone outside the table."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import migrations

from core.timezones import BY_NAME, ZONES

# «Moscow+3», «MSK+3», «МСК+3»: hours from Moscow's clock; «UTC+5», «GMT+5»: from UTC.
FROM_MOSCOW = re.compile(r"^\s*(?:moscow|msk|мск|москва)\s*([+-]\s*\d{1,2})?\s*$", re.I)
FROM_UTC = re.compile(r"^\s*(?:utc|gmt)\s*([+-]\s*\d{1,2})?\s*$", re.I)


def by_offset(hours):
    return next((zone.name for zone in ZONES if zone.offset_hours == hours), None)


def mended(name):
    """The table's zone a stored name stands for; Moscow's when it names none."""
    for pattern, base in ((FROM_MOSCOW, 3), (FROM_UTC, 0)):
        match = pattern.match(name or "")
        if match:
            shift = int((match.group(1) or "0").replace(" ", ""))
            return by_offset(base + shift) or "Europe/Moscow"
    try:
        # An IANA name outside the table (Asia/Tashkent, Etc/GMT-7): same clock.
        offset = ZoneInfo(name).utcoffset(datetime(2025, 1, 15))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return "Europe/Moscow"
    return by_offset(int(offset.total_seconds() // 3600)) or "Europe/Moscow"


def mend_zones(apps, schema_editor):
    Region = apps.get_model("schools", "Region")
    for region in Region.objects.exclude(timezone__in=list(BY_NAME)):
        region.timezone = mended(region.timezone)
        region.save(update_fields=["timezone"])


class Migration(migrations.Migration):
    dependencies = [("schools", "0005_risk_profile_drafts")]

    operations = [migrations.RunPython(mend_zones, migrations.RunPython.noop)]
