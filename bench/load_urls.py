"""The portal's URLs and the load benchmark's yardstick: an anonymous page that makes one query."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


@login_not_required
def one_query(request):
    from schools.models import Region

    return HttpResponse(f"{Region.objects.count()}")


urlpatterns = [
    path("bench/one-query/", one_query, name="bench_one_query"),
    path("", include("config.urls")),
]
