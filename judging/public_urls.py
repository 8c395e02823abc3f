from django.urls import path

from .views import public

app_name = "winners"

urlpatterns = [
    path("", public.winners_index, name="index"),
    path("<int:pk>/", public.winners, name="cycle"),
    path("images/<int:pk>/", public.winner_image, name="image"),
]
