"""Clinical pages: the customer's health record (/account/health/), the pathway checkout
(/book/pathway/), and the practitioner pages (/partner/clinical/), linkable from the workspace."""

from django.urls import path

from pamper.clinical import staff_views, views

app_name = "clinical"

urlpatterns = [
    # The customer
    path("account/health/", views.health, name="health"),
    path("account/health/questionnaire/<int:venue_id>/<int:treatment_id>/", views.questionnaire, name="questionnaire"),
    path("account/health/consent/<int:venue_id>/<int:treatment_id>/", views.consent, name="consent"),
    path("account/health/checkins/<int:session_id>/", views.checkin, name="checkin"),
    path("account/health/photos/<int:photo_id>/", views.my_photo, name="my_photo"),
    path("account/health/photos/<int:photo_id>/use/", views.my_photo_use, name="my_photo_use"),
    path("account/health/photos/<int:photo_id>/withdraw/", views.my_photo_withdraw, name="my_photo_withdraw"),
    path("account/health/courses/<int:course_id>/compare/", views.compare, name="compare"),
    path("account/health/export/", views.export, name="export"),
    path("account/health/erase/", views.erase, name="erase"),
    # The one checkout: consultation and patch test, then the treatment
    path("book/pathway/<int:service_id>/", views.checkout, name="checkout"),
    path("book/pathway/done/<int:booking_id>/", views.checkout_done, name="checkout_done"),
    # The practitioner
    path("partner/clinical/", staff_views.index, name="staff_index"),
    path("partner/clinical/<int:venue_id>/", staff_views.worklist, name="staff_worklist"),
    path("partner/clinical/<int:venue_id>/access-log/", staff_views.access_log, name="staff_access_log"),
    path("partner/clinical/<int:venue_id>/photos/<int:photo_id>/", staff_views.photo, name="staff_photo"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/", staff_views.client_record, name="staff_client"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/patch-test/", staff_views.record_patch_test,
         name="staff_patch_test"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/clear/<int:consultation_id>/",
         staff_views.clear_reaction, name="staff_clear"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/review/<int:response_id>/", staff_views.review,
         name="staff_review"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/course/", staff_views.set_course, name="staff_course"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/session/", staff_views.record_session,
         name="staff_session"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/consent/<int:treatment_id>/",
         staff_views.consent_text, name="staff_consent_text"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/consent/", staff_views.sign_consent_in_person,
         name="staff_consent"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/photos/", staff_views.upload_photo,
         name="staff_upload_photo"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/checkins/<int:session_id>/resolve/",
         staff_views.resolve_checkin, name="staff_resolve_checkin"),
    path("partner/clinical/<int:venue_id>/clients/<int:client_id>/override/", staff_views.override_booking,
         name="staff_override"),
]
