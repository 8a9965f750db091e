from django.urls import path

from gongyi.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("refresh/", views.refresh, name="refresh"),
    path("export/<str:table>.<str:fmt>", views.export, name="export"),
]
