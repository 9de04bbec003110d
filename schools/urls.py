from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.OrganizationList.as_view(), name="list"),
    path("<int:pk>/", views.organization_detail, name="organization"),
    path("risk-profiles/<int:pk>/", views.risk_profile_detail, name="risk_profile"),
]
