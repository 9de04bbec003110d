import django_tables2 as tables

from .models import AuditEvent


def _person(user):
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name="Когда", format="d.m.Y H:i:s")
    action = tables.Column(verbose_name="Событие")
    actor = tables.Column(verbose_name="Кто", empty_values=(), orderable=False)
    target = tables.Column(verbose_name="В отношении кого", empty_values=(), orderable=False)
    organization = tables.Column(verbose_name="Организация", orderable=False)
    details = tables.Column(verbose_name="Подробности", orderable=False, empty_values=())
    ip_address = tables.Column(verbose_name="Адрес", orderable=False)
    user_agent = tables.Column(verbose_name="Браузер", orderable=False)

    class Meta:
        model = AuditEvent
        fields = [
            "at",
            "action",
            "actor",
            "target",
            "organization",
            "details",
            "ip_address",
            "user_agent",
        ]
        attrs = {"class": "table table-sm table-striped align-middle"}
        empty_text = "Событий нет."

    def render_actor(self, record):
        return _person(record.actor)

    def render_target(self, record):
        return _person(record.target)

    def render_details(self, record):
        return "; ".join(f"{key}: {value}" for key, value in sorted(record.details.items())) or "—"

    value_actor = render_actor
    value_target = render_target
    value_details = render_details
