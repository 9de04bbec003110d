"""The audit trail's page: coordinators see their territory's events, the administrator all;
filtered, paged and exported to Excel."""

from django.core.exceptions import PermissionDenied
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.access import reach
from core.exports import XlsxExportMixin

from .filters import AuditFilter
from .models import AuditEvent
from .tables import AuditTable


class AuditListView(XlsxExportMixin, SingleTableMixin, FilterView):
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "accounts/audit_list.html"
    paginate_by = 50
    export_name = "Журнал событий безопасности"

    def get_queryset(self):
        user = self.request.user
        if not reach(user).is_coordinator:
            raise PermissionDenied("Журнал событий видят координаторы территории.")
        return AuditEvent.objects.visible_to(user).select_related("actor", "target", "organization")

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return {**super().get_context_data(**kwargs), "audit_days": settings.AUDIT_DAYS}
