from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("media/avatars/<int:pk>/<str:token>.jpg", views.photo, name="photo"),
    path("people/", views.person_list, name="person_list"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/import/", views.staff_import, name="staff_import"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path(
        "people/<int:pk>/resend-invitation/", views.person_resend_invitation, name="person_resend_invitation"
    ),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_form, name="team_create"),
    path("teams/<int:pk>/edit/", views.team_form, name="team_edit"),
    path("teams/<int:pk>/delete/", views.team_delete, name="team_delete"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
