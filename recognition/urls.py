from django.urls import path

from recognition import views
from recognition.announcements.urls import urlpatterns as announcement_urls

app_name = "recognition"

urlpatterns = [
    path("nominations/new/", views.nomination_new, name="nomination_new"),
    path("nominations/people/", views.people_search, name="people_search"),
    path("nominations/mine/", views.nominations_mine, name="mine"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="withdraw"),
    path("nominations/review/", views.review, name="review"),
    path("nominations/review/bulk-approve/", views.nominations_bulk_approve, name="bulk_approve"),
    path("nominations/<int:pk>/approve/", views.nomination_approve, name="approve"),
    path("nominations/<int:pk>/decline/", views.nomination_decline, name="decline"),
    path("wall/", views.wall, name="wall"),
    path("wall/<int:pk>/react/", views.reaction_toggle, name="react"),
    path("wall/export.csv", views.wall_export, name="wall_export"),
    path("wall/announce/", views.wall_announce, name="wall_announce"),
    path("weeks/categories/", views.categories_current, name="categories_current"),
    path("weeks/<int:year>/categories/", views.categories, name="categories"),
    path("weeks/<int:year>/categories/new/", views.category_new, name="category_new"),
    path("weeks/<int:year>/categories/copy/", views.categories_copy, name="categories_copy"),
    path("weeks/<int:year>/categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("weeks/<int:year>/categories/<int:pk>/move/", views.category_move, name="category_move"),
    path("weeks/<int:year>/categories/<int:pk>/retire/", views.category_retire, name="category_retire"),
    path("weeks/<int:year>/categories/<int:pk>/restore/", views.category_restore, name="category_restore"),
    path("weeks/<int:year>/categories/<int:pk>/announce/", views.category_announce, name="category_announce"),
    *announcement_urls,
    path("awards/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("awards/<int:pk>/certificate.pdf", views.certificate_download, name="certificate_pdf"),
    path("awards/<int:pk>/photo/", views.award_photo_edit, name="award_photo_edit"),
    path("awards/<int:pk>/photo/remove/", views.award_photo_remove, name="award_photo_remove"),
    path("media/awards/<int:pk>/<str:token>.jpg", views.award_photo, name="award_photo"),
]
