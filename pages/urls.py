from django.urls import path

from . import views

# Names without a namespace: every template links "home", "privacy" and so on.
urlpatterns = [
    path("", views.home, name="home"),
    path("help/accessibility/", views.accessibility_statement, name="accessibility"),
    path("help/privacy/", views.privacy_notice, name="privacy"),
    path("help/cookies/", views.cookies, name="cookies"),
    path("account/your-data/", views.privacy_data, name="your_data"),
    path("health/", views.health, name="health"),
    path("health/baseline/", views.baseline, name="baseline"),
]
