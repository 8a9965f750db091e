from django.urls import path

from gongyi.rankings import views

app_name = "rankings"
urlpatterns = [
    path("", views.ranking_list, name="list"),
    path("export.<str:fmt>", views.ranking_export, name="export"),
    path("published/", views.published_list, name="published_list"),
    path("published/<int:pk>/", views.published_detail, name="published_detail"),
    path("published/<int:pk>/export.<str:fmt>", views.published_export, name="published_export"),
    path("publish/", views.publish, name="publish"),
    path("consent/", views.consent, name="consent"),
]
