from django.urls import path

from .views import award_credentials, public

app_name = "winners"

urlpatterns = [
    path("", public.winners_index, name="index"),
    path("<int:pk>/", public.winners, name="cycle"),
    path("images/<int:pk>/", public.winner_image, name="image"),
    path("credentials/<uuid:uuid>/", award_credentials.credential, name="credential"),
    path("credentials/<uuid:uuid>/credential.json", award_credentials.credential_document, name="credential_document"),
    path("credentials/<uuid:uuid>/certificate.pdf", award_credentials.certificate, name="certificate"),
]
