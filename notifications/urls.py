from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ledger/", views.ledger, name="ledger"),
    path("emails/<int:pk>/resend/", views.resend, name="resend"),
]
