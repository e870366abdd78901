from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)

from . import views, views_gifts

app_name = "payments"
urlpatterns = [
    path("bookings/<id:pk>/pay/", views.pay, name="pay"),
    path("bookings/<id:pk>/pay/card-setup/", views.card_setup, name="card_setup"),
    path("bookings/<id:pk>/pay/card/", views.card, name="card"),
    path("bookings/<id:pk>/pay/check/", views.check, name="check"),
    path("bookings/<id:pk>/pay/gift-card/", views_gifts.redeem, name="redeem_gift_card"),
    path("gift-cards/", views_gifts.mine, name="my_gift_cards"),
    path("gift-cards/venue/<id:venue_id>/", views_gifts.buy, name="buy_gift_card"),
    path("gift-cards/<id:card_id>/pay/", views_gifts.pay, name="gift_pay"),
    path("gift-cards/<id:card_id>/pay/card-setup/", views_gifts.card_setup, name="gift_card_setup"),
    path("gift-cards/<id:card_id>/pay/card/", views_gifts.card, name="gift_card"),
    path("gift-cards/<id:card_id>/pay/check/", views_gifts.check, name="gift_check"),
]
