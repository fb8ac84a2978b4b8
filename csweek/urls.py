from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from csweek import views
from outbox import views as outbox_views
from people.admin import admin_login

# Admin sign-in goes through allauth's, with its rate limits and second factor.
admin.site.login = admin_login

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("theme.css", outbox_views.theme_css, name="theme_css"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("people.urls")),
    path("", include("events.urls")),
    path("", include("recognition.urls")),
    path("", include("surveys.urls")),
    path("", include("insights.urls")),
    path("", include("outbox.urls")),
    path("", include("audit.urls")),
]

handler400 = "csweek.views.error_400"
handler403 = "csweek.views.error_403"
handler404 = "csweek.views.error_404"
handler500 = "csweek.views.error_500"
