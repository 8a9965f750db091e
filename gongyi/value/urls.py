from django.urls import path

from gongyi.value import views

app_name = "value"
urlpatterns = [
    path("", views.region_page, name="region"),
    path("export/<str:fmt>/", views.region_export, name="region_export"),
    path("projects/<str:number>/", views.project_page, name="project"),
    path("projects/<str:number>/export/<str:fmt>/", views.project_export, name="project_export"),
    path("orgs/<int:pk>/", views.org_page, name="org"),
    path("orgs/<int:pk>/export/<str:fmt>/", views.org_export, name="org_export"),
    path("wages/", views.wages_home, name="wages"),
    path("wages/<str:code>/", views.city_wages, name="city_wages"),
    path("wages/<str:code>/new/", views.wage_new, name="wage_new"),
    path("wages/<str:code>/<int:year>/", views.wage_edit, name="wage_edit"),
]
