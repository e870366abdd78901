from django.urls import path

from . import views

app_name = "venues"
urlpatterns = [
    path("", views.home, name="home"),
    path("venues/<slug:slug>/", views.venue_page, name="detail"),
]
