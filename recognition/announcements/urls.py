from django.urls import path

from recognition.announcements import views

# Included by recognition.urls, so the names are recognition:announcement_*.
urlpatterns = [
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("announcements/<int:pk>/edit/", views.announcement_edit, name="announcement_edit"),
    path(
        "announcements/<int:pk>/email.html", views.announcement_preview_html, name="announcement_preview_html"
    ),
    path("announcements/<int:pk>/send/", views.announcement_send, name="announcement_send"),
    path("announcements/<int:pk>/schedule/", views.announcement_schedule, name="announcement_schedule"),
    path("announcements/<int:pk>/cancel/", views.announcement_cancel, name="announcement_cancel"),
]
