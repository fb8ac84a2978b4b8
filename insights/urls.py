from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("reports/", views.report_latest, name="report_latest"),
    path("reports/<int:year>/", views.report, name="report"),
    path("reports/<int:year>/<slug:key>.<str:fmt>", views.report_export, name="report_export"),
    path("weeks/<int:year>/recap/", views.recap, name="recap"),
    path("weeks/<int:year>/recap/note/", views.recap_note, name="recap_note"),
    path("weeks/<int:year>/recap/send/", views.recap_send, name="recap_send"),
]
