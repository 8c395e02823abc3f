from django.urls import path

from . import views

app_name = "leaders"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("portfolio.pdf", views.portfolio_pdf, name="portfolio_pdf"),
    path("profile/", views.profile, name="profile"),
    path("completions/new/", views.record_completion, name="completion_new"),
    path("completions/<int:supersedes_pk>/correct/", views.record_completion, name="completion_correct"),
    path("completions/<int:pk>/withdraw/", views.withdraw_completion, name="completion_withdraw"),
    path("check/<str:token>/", views.completion_check, name="check"),
    path("completions/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("completions/<int:pk>/credential.json", views.credential_download, name="credential"),
    path("verification/", views.verification_queue, name="verification"),
    path("verification/<int:pk>/verify/", views.verify_completion, name="verify"),
    path("verification/<int:pk>/reject/", views.reject_completion, name="reject"),
    path("appointments/new/", views.appointment_form, name="appointment_new"),
    path("appointments/<int:pk>/change/", views.appointment_change, name="appointment_change"),
    path("dass/", views.dashboard, name="dashboard"),
]
