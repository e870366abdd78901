from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("venues/<slug:slug>/book/", views.book, name="book"),
    path("venues/<slug:slug>/book/hold/", views.hold, name="hold"),
    path("venues/<slug:slug>/book/signin/", views.signin, name="signin"),
    path("bookings/", views.mine, name="mine"),
    path("bookings/<int:pk>/", views.detail, name="detail"),
    path("bookings/<int:pk>/checkout/", views.checkout, name="checkout"),
    path("bookings/<int:pk>/release/", views.release, name="release"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
]
