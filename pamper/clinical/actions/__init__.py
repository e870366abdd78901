"""Clinical writes: each a keyword-only verb_noun function owning its transaction, in topic modules.

Views and API endpoints look the objects up with access.py (so the caller is
allowed), then call one of these. Errors are pamper.errors.Refusal with a 4xx
status and a code, so pages and the API show the same message. The names are
re-exported here: callers write `actions.record_patch_test(...)`.

- questionnaires: the client record, the medical questionnaire, consent, the review of flagged answers;
- patch_tests: a consultation's result and what it does to waiting treatments; clearing a reaction;
- courses: course plans, sessions, the customer's check-in and its follow-up;
- photos: progress photos, their use and withdrawal;
- checkout: the one pathway checkout and a practitioner's booking past the pathway;
- waiting: treatments waiting for a consultation that goes (bookings' release hook).
"""

from pamper.clinical.actions.checkout import PathwayBooking, book_consultation, book_past_pathway, book_pathway
from pamper.clinical.actions.courses import record_session, resolve_checkin_flag, set_course, submit_checkin
from pamper.clinical.actions.patch_tests import PatchTestResult, clear_reaction, record_patch_test
from pamper.clinical.actions.photos import set_photo_use, upload_photo, withdraw_photo
from pamper.clinical.actions.questionnaires import (
    ensure_client,
    review_questionnaire,
    sign_consent,
    submit_questionnaire,
)
from pamper.clinical.actions.waiting import cancel_waiting_treatments

__all__ = [
    "PatchTestResult", "PathwayBooking", "book_consultation", "book_past_pathway", "book_pathway",
    "cancel_waiting_treatments", "clear_reaction", "ensure_client", "record_patch_test", "record_session",
    "resolve_checkin_flag",
    "review_questionnaire", "set_course", "set_photo_use", "sign_consent", "submit_checkin", "submit_questionnaire",
    "upload_photo", "withdraw_photo",
]
