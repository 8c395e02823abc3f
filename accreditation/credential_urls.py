from django.urls import path

from . import leader_views as views

app_name = "credentials"

urlpatterns = [
    path("issuer/", views.issuer, name="issuer"),
    path("<uuid:uuid>/", views.credential_verify, name="verify"),
]
