from django.urls import path

from . import views

app_name = "waitlist"
urlpatterns = [
    path("waitlist/", views.mine, name="mine"),
    path("venues/<slug:slug>/waitlist/", views.join, name="join"),
    path("waitlist/<int:pk>/leave/", views.leave, name="leave"),
    path("waitlist/offers/<int:pk>/", views.offer, name="offer"),
    path("waitlist/offers/<int:pk>/accept/", views.accept, name="accept"),
    path("waitlist/offers/<int:pk>/decline/", views.decline, name="decline"),
]
