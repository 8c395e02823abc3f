from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("issuer/", views.issuer, name="issuer"),
    path("check/", views.check, name="check"),
    path("<uuid:uuid>/", views.credential_verify, name="verify"),
    path("<uuid:uuid>/revoke/", views.revoke_credential, name="revoke"),
    path("status/<int:number>", views.status_list, name="status_list"),
]
