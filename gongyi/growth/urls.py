from django.urls import path

from gongyi.growth import views

app_name = "growth"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("settings/", views.settings_page, name="settings"),
    path("card/", views.card_settings, name="card_settings"),
    path("card/preview.png", views.card_preview_png, name="card_preview"),
    path("card/<str:number>.png", views.card_png, name="card_png"),
    path("card/<str:number>/", views.card_page, name="card"),
]
