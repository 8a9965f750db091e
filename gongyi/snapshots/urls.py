from django.urls import path

from gongyi.snapshots import views

app_name = "snapshots"
urlpatterns = [
    path("", views.wall, name="wall"),
    path("mine/", views.mine, name="mine"),
    path("project/<str:number>/", views.gallery, name="gallery"),
    path("project/<str:number>/add/", views.upload, name="upload"),
    path("<str:key>/", views.detail, name="detail"),
    path("<str:key>/image.jpg", views.image, name="image"),
    path("<str:key>/thumb.jpg", views.thumb, name="thumb"),
    path("<str:key>/poster.png", views.poster, name="poster"),
    path("<str:key>/approve/", views.approve, name="approve"),
    path("<str:key>/hide/", views.hide, name="hide"),
    path("<str:key>/delete/", views.delete, name="delete"),
]
