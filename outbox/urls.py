from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/retry-failed/", views.deliveries_retry_failed, name="deliveries_retry_failed"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("integrations/", views.chat_webhook_list, name="chat_webhook_list"),
    path("integrations/add/", views.chat_webhook_form, name="chat_webhook_add"),
    path("integrations/<int:pk>/edit/", views.chat_webhook_form, name="chat_webhook_edit"),
    path("integrations/<int:pk>/remove/", views.chat_webhook_remove, name="chat_webhook_remove"),
    path("organisation/", views.organisation_edit, name="organisation_edit"),
    path("organisation/logo/<str:version>/", views.organisation_logo, name="organisation_logo"),
]
