from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("weeks/", views.week_list, name="week_list"),
    path("weeks/coverage/<int:team_id>/", views.team_coverage_edit, name="team_coverage_edit"),
    path("weeks/<int:year>/", views.week_plan, name="week_plan"),
    path("weeks/<int:year>/settings/", views.week_edit, name="week_edit"),
    path("weeks/<int:year>/publish/", views.week_publish, name="week_publish"),
    path("weeks/<int:year>/unpublish/", views.week_unpublish, name="week_unpublish"),
    path("weeks/<int:year>/clone/", views.week_clone, name="week_clone"),
    path("weeks/<int:year>/days/<str:day>/", views.week_day, name="week_day"),
    path("weeks/<int:year>/days/<str:day>/theme/", views.day_theme_edit, name="day_theme_edit"),
    path("weeks/<int:year>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<int:year>/", views.schedule, name="schedule_year"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>.ics", views.activity_ics, name="activity_ics"),
    path(
        "activities/<int:pk>/registrants.csv", views.activity_registrants_csv, name="activity_registrants_csv"
    ),
    path("activities/<int:pk>/attendance/", views.activity_attendance_all, name="activity_attendance_all"),
    path("registrations/<int:pk>/attendance/", views.registration_attendance, name="registration_attendance"),
    path("activities/<int:pk>/check-in/", views.activity_check_in, name="activity_check_in"),
    path("activities/<int:pk>/check-in.svg", views.activity_check_in_qr, name="activity_check_in_qr"),
    path("activities/<int:pk>/join/", views.activity_join, name="activity_join"),
    path("activities/<int:pk>/signup/", views.activity_signup, name="activity_signup"),
    path("activities/<int:pk>/withdraw/", views.activity_withdraw, name="activity_withdraw"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("profile/calendar/", views.calendar_token_regenerate, name="calendar_token_regenerate"),
]
