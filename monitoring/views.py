from django.shortcuts import render

from schools.access import visible_or_404

from .models import MonitoringPoint


def point_detail(request, pk):
    point = visible_or_404(MonitoringPoint.objects.select_related("program"), request.user, pk=pk)
    return render(request, "monitoring/point_detail.html", {"point": point})
