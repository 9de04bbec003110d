"""Periods a person plans by («эта неделя», «следующий месяц»), as date ranges around a day.

Lists of items and events filter by them (`roadmaps.filters`), and the home page plans the week
and the curator's month with the same ranges, so «эта неделя» means one thing everywhere.
"""

from datetime import date, timedelta

from django import forms
from django.db import models


class Period(models.TextChoices):
    THIS_WEEK = "this_week", "эта неделя"
    NEXT_WEEK = "next_week", "следующая неделя"
    THIS_MONTH = "this_month", "этот месяц"
    NEXT_MONTH = "next_month", "следующий месяц"
    NEXT_30_DAYS = "next_30_days", "ближайшие 30 дней"


def _month(day):
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def period_range(period, today):
    """(first day, last day) of `period` around `today`, both included; weeks run Monday to
    Sunday."""
    monday = today - timedelta(days=today.weekday())
    if period == Period.THIS_WEEK:
        return monday, monday + timedelta(days=6)
    if period == Period.NEXT_WEEK:
        return monday + timedelta(days=7), monday + timedelta(days=13)
    if period == Period.THIS_MONTH:
        return _month(today)
    if period == Period.NEXT_MONTH:
        return _month(_month(today)[1] + timedelta(days=1))
    if period == Period.NEXT_30_DAYS:
        return today, today + timedelta(days=29)
    raise ValueError(f"unknown period {period!r}")


def period_widget():
    return forms.Select(choices=[("", "любой"), *Period.choices])


def as_text(first: date, last: date):
    """«07.12–13.12.2026», the range as a heading says it."""
    if first.year == last.year:
        return f"{first:%d.%m}–{last:%d.%m.%Y}"
    return f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"
