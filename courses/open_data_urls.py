"""Open data of the register at stable addresses: /open-data/ and its files."""

from django.urls import path

from . import open_data_views

app_name = "open_data"

urlpatterns = [
    path("", open_data_views.index, name="index"),
    path("<str:filename>", open_data_views.download, name="download"),
]
