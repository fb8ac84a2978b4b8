"""csweek's URLs plus /bench/trivial/: a view that does nothing, under the same middleware."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("csweek.urls")),
]
