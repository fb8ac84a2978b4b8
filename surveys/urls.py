from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_create, name="create"),
    path("surveys/<int:pk>/", views.survey_detail, name="detail"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"
    ),
    path("surveys/<int:pk>/questions/<int:question_pk>/move/", views.question_move, name="question_move"),
    path("surveys/<int:pk>/publish/", views.survey_publish, name="publish"),
    path("surveys/<int:pk>/close/", views.survey_close, name="close"),
    path("surveys/<int:pk>/answer/", views.survey_answer, name="answer"),
    path("surveys/<int:pk>/thanks/", views.survey_thanks, name="thanks"),
    path("surveys/<int:pk>/results/", views.survey_results, name="results"),
    path("surveys/<int:pk>/results.csv", views.survey_results_csv, name="results_csv"),
    path("surveys/<int:pk>/results.xlsx", views.survey_results_xlsx, name="results_xlsx"),
]
