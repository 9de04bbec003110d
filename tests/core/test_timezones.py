import datetime
from zoneinfo import ZoneInfo

from core import timezones


def test_every_zone_has_the_offset_it_is_named_with():
    # Winter and summer alike: Russia keeps no daylight saving time.
    for moment in (datetime.datetime(2026, 1, 15, 12), datetime.datetime(2026, 7, 15, 12)):
        for zone in timezones.ZONES:
            offset = ZoneInfo(zone.name).utcoffset(moment)
            assert offset == datetime.timedelta(hours=zone.offset_hours), zone.name


def test_a_zone_is_named_in_russian_for_a_form_and_beside_a_time():
    assert timezones.zone("Asia/Yekaterinburg").label == "Екатеринбург, UTC+5"
    assert timezones.clock_label("Asia/Yekaterinburg") == "время екатеринбургское, UTC+5"


def test_a_name_outside_the_table_reads_as_the_fallback_and_is_shown_as_typed():
    assert timezones.zone("Moscow+3") is None
    assert timezones.tzinfo("Moscow+3") == ZoneInfo("Europe/Moscow")
    assert timezones.clock_label("Moscow+3") == "Moscow+3"
