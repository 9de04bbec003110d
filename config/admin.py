"""Django's admin for portal operators only.

The admin shows every region's rows: it does not go through the territory rules of the portal's
querysets. So only superusers may enter it, whatever staff flags or model permissions a
coordinator's account happens to carry; coordinators work in the portal's own screens.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    site_header = "Портал адресной поддержки школ"
    site_title = "Администрирование портала"
    index_title = "Данные портала"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class PortalAdminConfig(AdminConfig):
    default_site = "config.admin.PortalAdminSite"
