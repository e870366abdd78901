from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)
from pamper.notifications import views

app_name = "notifications"
urlpatterns = [
    path("accounts/notifications/", views.preferences, name="preferences"),
    path("accounts/notifications/feeds/", views.create_feed, name="feed_create"),
    path("accounts/notifications/feeds/<id:feed_id>/revoke/", views.revoke_feed, name="feed_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("bookings/<id:pk>/calendar.ics", views.booking_calendar, name="booking_ics"),
]
