"""The filter of a point's completeness list (`views.CompletenessPage`)."""

import django_filters

from schools.models import Organization

SHOW = [("missing", "не сдали полностью"), ("late", "сдали с опозданием")]


class CompletenessFilter(django_filters.FilterSet):
    """Which of the point's schools to list: every one, those who have not sent all their
    values (`MonitoringPoint.not_sent`), or those who sent some after the entry window closed
    (the rows' `late`)."""

    show = django_filters.ChoiceFilter(choices=SHOW, method="shown", label="Показать")

    class Meta:
        model = Organization
        fields = []

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        self.point = point

    def shown(self, queryset, name, value):
        if value == "missing":
            return self.point.not_sent(queryset)
        return queryset.filter(late=True)
