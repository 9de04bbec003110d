"""The standard set of effectiveness indicators a program can start from: those of the Пермский
край order, each computed by the portal from its own data, with the order's threshold."""

from .models import Indicator, Target

Method = Indicator.Method

# The effectiveness indicators of the Пермский край order (section III), offered as a starting
# set that the coordinator then adjusts: (method, code, title, unit, level, threshold, text).
STANDARD = [
    (
        Method.ATTENDANCE_SHARE,
        "Э1",
        "Доля школ адресной поддержки, принявших участие в информационно-методических мероприятиях программы",
        Indicator.Unit.PERCENT,
        Indicator.Level.REGION,
        80,
        "не менее 80 % ШНОР",
    ),
    (
        Method.EXCHANGE_EVENTS_REGIONAL,
        "Э2",
        "Число региональных мероприятий по обмену опытом между участниками",
        Indicator.Unit.COUNT,
        Indicator.Level.REGION,
        2,
        "не менее 2-х региональных мероприятий",
    ),
    (
        Method.EXCHANGE_EVENTS_MUNICIPAL,
        "Э3",
        "Число муниципальных мероприятий по обмену опытом между участниками",
        Indicator.Unit.COUNT,
        Indicator.Level.MUNICIPALITY,
        1,
        "не менее 1-го муниципального мероприятия",
    ),
    (
        Method.ITEMS_DONE_SHARE,
        "Э4",
        "Доля выполненных мероприятий дорожной карты",
        Indicator.Unit.PERCENT,
        Indicator.Level.MUNICIPALITY,
        100,
        "дорожная карта реализована в полном объёме",
    ),
    (
        Method.AGREEMENTS_SHARE,
        "Э5",
        "Доля пар «куратор — школа» с подписанным соглашением о сетевом взаимодействии",
        Indicator.Unit.PERCENT,
        Indicator.Level.SCHOOL,
        100,
        "соглашение имеется у каждой пары",
    ),
    (
        Method.DOCUMENTS_APPROVED_SHARE,
        "Э6",
        "Доля концептуальных документов школ, успешно прошедших экспертизу",
        Indicator.Unit.PERCENT,
        Indicator.Level.SCHOOL,
        80,
        "не менее 80 % документов",
    ),
]


def add_standard_indicators(program):
    """Add the standard computed indicators the program lacks, each with its threshold; returns
    how many were added. Codes already taken get a suffix."""
    have = set(program.indicators.values_list("method", flat=True))
    codes = set(program.indicators.values_list("code", flat=True))
    order = (program.indicators.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    added = 0
    for method, code, title, unit, level, threshold, text in STANDARD:
        if method in have:
            continue
        while code in codes:
            code += "*"
        codes.add(code)
        indicator = Indicator.objects.create(
            program=program,
            code=code,
            title=title,
            unit=unit,
            level=level,
            method=method,
            source="данные портала",
            group="Показатели эффективности",
            order=order,
        )
        order += 1
        Target.objects.create(
            indicator=indicator, value=threshold, comparison=Target.Comparison.GE, text=text
        )
        added += 1
    return added
