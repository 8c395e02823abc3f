from django.urls import path

from . import views

app_name = "regulator"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("categories/<int:pk>/rule/", views.category_rule, name="category_rule"),
    path("nominations/<int:pk>/override/", views.override, name="override"),
    path("nominations/<int:pk>/find-service/", views.find_service, name="find_service"),
]
