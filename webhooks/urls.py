from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<int:pk>/new/", views.create_for_organisation, name="create_for_organisation"),
    path("teams/<str:team>/new/", views.create_for_team, name="create_for_team"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("<int:pk>/disable/", views.disable, name="disable"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
]
