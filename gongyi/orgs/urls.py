from django.urls import path

from gongyi.orgs import base_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("register/", views.org_register, name="register"),
    path("mine/", views.my_orgs, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("bases/", base_views.base_list, name="bases"),
    path("bases/review/", base_views.base_queue, name="base_queue"),
    path("bases/<int:pk>/decide/", base_views.base_decide, name="base_decide"),
    path("bases/<int:pk>/revoke/", base_views.base_revoke, name="base_revoke"),
    path("<int:pk>/base/apply/", base_views.base_apply, name="base_apply"),
    path("<int:pk>/", views.org_detail, name="detail"),
    path("<int:pk>/edit/", views.org_edit, name="edit"),
    path("<int:pk>/review/", views.org_review, name="review"),
    path("<int:pk>/members/", views.members, name="members"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("memberships/<int:pk>/answer/", views.answer_invitation, name="answer"),
    path("memberships/<int:pk>/decide/", views.decide_request, name="decide"),
    path("memberships/<int:pk>/role/", views.change_role, name="change_role"),
    path("memberships/<int:pk>/remove/", views.remove_member, name="remove"),
]
