from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)

from . import views

app_name = "bookings"
urlpatterns = [
    path("venues/<slug:slug>/book/", views.book, name="book"),
    path("venues/<slug:slug>/book/hold/", views.hold, name="hold"),
    path("venues/<slug:slug>/book/signin/", views.signin, name="signin"),
    path("bookings/", views.mine, name="mine"),
    path("bookings/<id:pk>/", views.detail, name="detail"),
    path("bookings/<id:pk>/checkout/", views.checkout, name="checkout"),
    path("bookings/<id:pk>/release/", views.release, name="release"),
    path("bookings/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<id:pk>/reschedule/", views.reschedule, name="reschedule"),
]
