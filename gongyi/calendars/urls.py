from django.urls import path

from gongyi.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.public_calendar, name="public"),
    path("mine/", views.my_calendar, name="mine"),
    path("orgs/<int:pk>/", views.org_calendar, name="org"),
    path("feed/", views.feed, name="feed"),
    path("feed/issue/", views.feed_issue, name="feed_issue"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("searches/", views.searches, name="searches"),
    path("searches/<int:pk>/", views.search_edit, name="search_edit"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
]
