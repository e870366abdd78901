from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from pamper import views
from pamper.api import api
from pamper.ops import views as ops_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    # The admin signs in through Pamper's own page: the same rate limits and the two-factor step.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("pamper.seo.site_urls")),  # robots.txt and the sitemaps
    path("i18n/language/", views.set_language, name="set_language"),
]
# The pages in seven languages: English unprefixed, the others under /fr/, /de/, /es/, /it/, /nl/, /pt/.
urlpatterns += i18n_patterns(
    path("accounts/", include("pamper.accounts.urls")),
    path("partner/", include("pamper.partner.urls")),
    path("", include("pamper.bookings.urls")),
    path("", include("pamper.payments.urls")),
    path("", include("pamper.clinical.urls")),
    path("", include("pamper.reviews.urls")),
    path("", include("pamper.notifications.urls")),
    path("", include("pamper.waitlist.urls")),
    path("", include("pamper.seo.urls")),
    path("", include("pamper.gallery.urls")),
    path("", include("pamper.search.urls")),
    path("", include("pamper.venues.urls")),
    path("", include("pamper.catalog.urls")),
    prefix_default_language=False,
)

handler400 = "pamper.views.bad_request"
handler403 = "pamper.views.permission_denied"
handler404 = "pamper.views.page_not_found"
handler500 = "pamper.views.server_error"
