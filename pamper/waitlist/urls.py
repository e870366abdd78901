from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)

from . import views

app_name = "waitlist"
urlpatterns = [
    path("waitlist/", views.mine, name="mine"),
    path("venues/<slug:slug>/waitlist/", views.join, name="join"),
    path("waitlist/<id:pk>/leave/", views.leave, name="leave"),
    path("waitlist/offers/<id:pk>/", views.offer, name="offer"),
    path("waitlist/offers/<id:pk>/accept/", views.accept, name="accept"),
    path("waitlist/offers/<id:pk>/decline/", views.decline, name="decline"),
]
