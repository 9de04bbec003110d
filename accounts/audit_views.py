"""The audit trail's page: coordinators see their territory's events, the administrator all;
filtered, paged and exported to Excel."""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from core.access import reach
from core.lists import ListPage

from .filters import AuditFilter
from .models import AuditEvent
from .tables import AuditTable


class AuditListView(ListPage):
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "accounts/audit_list.html"
    export_name = "Журнал событий безопасности"

    def get_queryset(self):
        user = self.request.user
        if not reach(user).is_coordinator:
            raise PermissionDenied("Журнал событий видят координаторы территории.")
        return AuditEvent.objects.visible_to(user).select_related("actor", "target", "organization")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "audit_days": settings.AUDIT_DAYS}
