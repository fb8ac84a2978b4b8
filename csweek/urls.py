from django.contrib import admin
from django.urls import include, path

from csweek import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("people.urls")),
    path("", include("events.urls")),
    path("", include("recognition.urls")),
    path("", include("outbox.urls")),
    path("", include("audit.urls")),
]

handler403 = "csweek.views.error_403"
handler404 = "csweek.views.error_404"
handler500 = "csweek.views.error_500"
