from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from pamper import views
from pamper.api import api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The admin signs in through Pamper's own page: the same rate limits and the two-factor step.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("pamper.accounts.urls")),
    path("partner/", include("pamper.partner.urls")),
    path("", include("pamper.bookings.urls")),
    path("", include("pamper.clinical.urls")),
    path("", include("pamper.reviews.urls")),
    path("", include("pamper.notifications.urls")),
    path("", include("pamper.search.urls")),
    path("", include("pamper.venues.urls")),
    path("", include("pamper.catalog.urls")),
]

handler404 = "pamper.views.page_not_found"
handler500 = "pamper.views.server_error"
