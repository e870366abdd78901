from django.urls import path

from . import views

app_name = "venues"
urlpatterns = [
    path("", views.home, name="home"),
    path("venues/<slug:slug>/", views.venue_page, name="detail"),
    path("venues/<slug:slug>/favourite/", views.favourite, name="favourite"),
    path("account/favourites/", views.favourites, name="favourites"),
]
