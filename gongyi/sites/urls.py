from django.urls import path

from gongyi.sites import views

app_name = "sites"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/<str:slug>/", views.edit, name="edit"),
    path("manage/<str:slug>/active/", views.set_active, name="set_active"),
    path("<str:slug>/theme.css", views.theme, name="theme"),
]
