from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)

from . import views

app_name = "reviews"
urlpatterns = [
    path("bookings/<id:booking_id>/review/", views.write_review, name="write"),
    path("venues/<slug:slug>/reviews/", views.venue_reviews, name="venue_reviews"),
    path("reviews/<id:review_id>/reply/", views.reply, name="reply"),
    path("reviews/<id:review_id>/report/", views.report, name="report"),
]
