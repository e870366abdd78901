"""Clinical pages: the customer's health record (/account/health/), the pathway checkout
(/book/pathway/), and the practitioner pages (/partner/clinical/), linkable from the workspace."""

from django.urls import path, register_converter

from pamper.clinical import staff_views, views


class RowId:
    """A positive database id that fits a 64-bit column; anything larger is no match (404), never an overflow."""

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > 2**63 - 1:
            raise ValueError("id out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowId, "clinical_id")

app_name = "clinical"

urlpatterns = [
    # The customer
    path("account/health/", views.health, name="health"),
    path("account/health/questionnaire/<clinical_id:venue_id>/<clinical_id:treatment_id>/", views.questionnaire, name="questionnaire"),
    path("account/health/consent/<clinical_id:venue_id>/<clinical_id:treatment_id>/", views.consent, name="consent"),
    path("account/health/checkins/<clinical_id:session_id>/", views.checkin, name="checkin"),
    path("account/health/photos/<clinical_id:photo_id>/", views.my_photo, name="my_photo"),
    path("account/health/photos/<clinical_id:photo_id>/use/", views.my_photo_use, name="my_photo_use"),
    path("account/health/photos/<clinical_id:photo_id>/withdraw/", views.my_photo_withdraw, name="my_photo_withdraw"),
    path("account/health/courses/<clinical_id:course_id>/compare/", views.compare, name="compare"),
    path("account/health/export/", views.export, name="export"),
    path("account/health/erase/", views.erase, name="erase"),
    # The one checkout: consultation and patch test, then the treatment
    path("book/pathway/<clinical_id:service_id>/", views.checkout, name="checkout"),
    path("book/pathway/done/<clinical_id:booking_id>/", views.checkout_done, name="checkout_done"),
    # The practitioner
    path("partner/clinical/", staff_views.index, name="staff_index"),
    path("partner/clinical/<clinical_id:venue_id>/", staff_views.worklist, name="staff_worklist"),
    path("partner/clinical/<clinical_id:venue_id>/access-log/", staff_views.access_log, name="staff_access_log"),
    path("partner/clinical/<clinical_id:venue_id>/photos/<clinical_id:photo_id>/", staff_views.photo, name="staff_photo"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/", staff_views.client_record, name="staff_client"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/patch-test/", staff_views.record_patch_test,
         name="staff_patch_test"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/clear/<clinical_id:consultation_id>/",
         staff_views.clear_reaction, name="staff_clear"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/review/<clinical_id:response_id>/", staff_views.review,
         name="staff_review"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/course/", staff_views.set_course, name="staff_course"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/session/", staff_views.record_session,
         name="staff_session"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/consent/<clinical_id:treatment_id>/",
         staff_views.consent_text, name="staff_consent_text"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/consent/", staff_views.sign_consent_in_person,
         name="staff_consent"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/photos/", staff_views.upload_photo,
         name="staff_upload_photo"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/checkins/<clinical_id:session_id>/resolve/",
         staff_views.resolve_checkin, name="staff_resolve_checkin"),
    path("partner/clinical/<clinical_id:venue_id>/clients/<clinical_id:client_id>/override/", staff_views.override_booking,
         name="staff_override"),
]
