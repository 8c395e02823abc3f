from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/join/", views.join_request_create, name="join_request_create"),
    path("join-requests/<int:pk>/decide/", views.join_request_decide, name="join_request_decide"),
    path("join-requests/<int:pk>/withdraw/", views.join_request_withdraw, name="join_request_withdraw"),
    path("members/<int:pk>/role/", views.member_role_change, name="member_role_change"),
    path("staff/roles/", views.role_list, name="role_list"),
    path("staff/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("session/", views.session_status, name="session_status"),
]
