from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("<int:pk>/", views.export_job, name="export_job"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
]
