from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("bookings/<int:pk>/pay/", views.pay, name="pay"),
    path("bookings/<int:pk>/pay/card-setup/", views.card_setup, name="card_setup"),
    path("bookings/<int:pk>/pay/card/", views.card, name="card"),
    path("bookings/<int:pk>/pay/check/", views.check, name="check"),
]
