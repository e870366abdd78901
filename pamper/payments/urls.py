from django.urls import path

from . import views, views_gifts

app_name = "payments"
urlpatterns = [
    path("bookings/<int:pk>/pay/", views.pay, name="pay"),
    path("bookings/<int:pk>/pay/card-setup/", views.card_setup, name="card_setup"),
    path("bookings/<int:pk>/pay/card/", views.card, name="card"),
    path("bookings/<int:pk>/pay/check/", views.check, name="check"),
    path("bookings/<int:pk>/pay/gift-card/", views_gifts.redeem, name="redeem_gift_card"),
    path("gift-cards/", views_gifts.mine, name="my_gift_cards"),
    path("gift-cards/venue/<int:venue_id>/", views_gifts.buy, name="buy_gift_card"),
    path("gift-cards/<int:card_id>/pay/", views_gifts.pay, name="gift_pay"),
    path("gift-cards/<int:card_id>/pay/card-setup/", views_gifts.card_setup, name="gift_card_setup"),
    path("gift-cards/<int:card_id>/pay/card/", views_gifts.card, name="gift_card"),
    path("gift-cards/<int:card_id>/pay/check/", views_gifts.check, name="gift_check"),
]
