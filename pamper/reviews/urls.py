from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("bookings/<int:booking_id>/review/", views.write_review, name="write"),
    path("venues/<slug:slug>/reviews/", views.venue_reviews, name="venue_reviews"),
    path("reviews/<int:review_id>/reply/", views.reply, name="reply"),
    path("reviews/<int:review_id>/report/", views.report, name="report"),
]
