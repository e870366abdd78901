"""Clinical pages: the customer's health record (/account/health/), the pathway checkout
(/book/pathway/), and the practitioner pages (/partner/clinical/), linkable from the workspace."""

from django.urls import path

import pamper.lib.routes  # noqa: F401 (registers the <id:...> path converter)
from pamper.clinical import staff_views
from pamper.clinical.views import checkout, photos, records

app_name = "clinical"

C = "partner/clinical/<id:venue_id>/"  # the practitioner's pages of one venue
R = C + "clients/<id:client_id>/"  # ... about one client

urlpatterns = [
    # The customer
    path("account/health/", records.health, name="health"),
    path("account/health/questionnaire/<id:venue_id>/<id:treatment_id>/", records.questionnaire,
         name="questionnaire"),
    path("account/health/consent/<id:venue_id>/<id:treatment_id>/", records.consent,
         name="consent"),
    path("account/health/checkins/<id:session_id>/", records.checkin, name="checkin"),
    path("account/health/photos/<id:photo_id>/", photos.my_photo, name="my_photo"),
    path("account/health/photos/<id:photo_id>/use/", photos.my_photo_use, name="my_photo_use"),
    path("account/health/photos/<id:photo_id>/withdraw/", photos.my_photo_withdraw,
         name="my_photo_withdraw"),
    path("account/health/courses/<id:course_id>/compare/", photos.compare, name="compare"),
    path("account/health/reads/", records.reads, name="reads"),
    path("account/health/export/", records.export, name="export"),
    path("account/health/erase/", records.erase, name="erase"),
    # The one checkout: consultation and patch test, then the treatment
    path("book/pathway/<id:service_id>/", checkout.checkout, name="checkout"),
    path("book/pathway/done/<id:booking_id>/", checkout.checkout_done, name="checkout_done"),
    # The practitioner
    path("partner/clinical/", staff_views.index, name="staff_index"),
    path(C, staff_views.worklist, name="staff_worklist"),
    path(C + "access-log/", staff_views.access_log, name="staff_access_log"),
    path(C + "photos/<id:photo_id>/", staff_views.photo, name="staff_photo"),
    path(R, staff_views.client_record, name="staff_client"),
    path(R + "patch-test/", staff_views.record_patch_test, name="staff_patch_test"),
    path(R + "clear/<id:consultation_id>/", staff_views.clear_reaction, name="staff_clear"),
    path(R + "review/<id:response_id>/", staff_views.review, name="staff_review"),
    path(R + "course/", staff_views.set_course, name="staff_course"),
    path(R + "session/", staff_views.record_session, name="staff_session"),
    path(R + "consent/<id:treatment_id>/", staff_views.consent_text, name="staff_consent_text"),
    path(R + "consent/", staff_views.sign_consent_in_person, name="staff_consent"),
    path(R + "photos/", staff_views.upload_photo, name="staff_upload_photo"),
    path(R + "checkins/<id:session_id>/resolve/", staff_views.resolve_checkin, name="staff_resolve_checkin"),
    path(R + "override/", staff_views.override_booking, name="staff_override"),
]
