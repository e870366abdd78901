"""Clinical records: questionnaires, consent, consultations and patch tests, courses,
sessions and check-ins, progress photos, overrides and the access log.

Everything hangs off a venues.Client (the venue's record of one person), so a
lookup scoped to a venue can never reach another venue's records. Free text
and answers are EncryptedTextField / EncryptedJSONField; photo bytes live in
encrypted files in the file storage (see photos.py). The columns left
in clear are the ones the booking rules must query (outcomes, flags, times).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from pamper.catalog.models import Contraindication
from pamper.clinical.crypto import EncryptedJSONField, EncryptedTextField


class Questionnaire(models.Model):
    """One version of a treatment's medical questionnaire, frozen as asked.

    `questions` is a list of {"slug", "kind": "yesno"|"text", "label", "question"}.
    A "yes" to a yes/no question flags a contraindication.
    """

    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="questionnaires")
    version = models.PositiveIntegerField()
    questions = models.JSONField()
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["treatment", "-version"]
        constraints = [models.UniqueConstraint(fields=["treatment", "version"], name="one_questionnaire_version")]

    def __str__(self) -> str:
        return f"{self.treatment} questionnaire v{self.version}"

    def yesno_slugs(self) -> list[str]:
        return [q["slug"] for q in self.questions if q["kind"] == "yesno"]

    def shown_questions(self) -> list[dict[str, str]]:
        """The questions as stored (English, frozen with the version) in the active language: a contraindication's
        label and question from the catalogue's translation when it has one, the general ones through gettext."""
        if translation.get_language() in (None, "en"):
            return list(self.questions)
        found = {c.slug: c for c in Contraindication.objects.filter(slug__in=self.yesno_slugs())}
        shown = []
        for q in self.questions:
            c = found.get(q["slug"]) if q["kind"] == "yesno" else None
            shown.append({**q, "label": c.label if c else gettext(q["label"]),
                          "question": c.question if c else gettext(q["question"])})
        return shown


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", gettext_lazy("Nothing flagged")
    NEEDS_REVIEW = "needs_review", gettext_lazy("Waiting for a practitioner's review")
    CLEARED = "cleared", gettext_lazy("Reviewed: may go ahead")
    DECLINED = "declined", gettext_lazy("Reviewed: not suitable")


class QuestionnaireResponse(models.Model):
    """A customer's answers to one questionnaire version, for one venue (client)."""

    client = models.ForeignKey("venues.Client", on_delete=models.CASCADE, related_name="questionnaire_responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    answers = EncryptedJSONField(help_text=gettext_lazy("{slug: true/false or text}; encrypted."))
    flagged = models.BooleanField(default=False, help_text=gettext_lazy("At least one contraindication answered yes."))
    review_status = models.CharField(max_length=14, choices=ReviewStatus.choices, default=ReviewStatus.NOT_NEEDED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(default=dj_timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["client", "submitted_at"])]

    def __str__(self) -> str:
        return f"Questionnaire answers {self.pk} ({self.get_review_status_display()})"

    @property
    def treatment(self):  # type: ignore[no-untyped-def]
        return self.questionnaire.treatment

    @property
    def blocks_booking(self) -> bool:
        return self.review_status in (ReviewStatus.NEEDS_REVIEW, ReviewStatus.DECLINED)

    def flagged_labels(self) -> list[str]:
        """Labels of the contraindications answered yes (decrypts the answers)."""
        answers = self.answers or {}
        return [q["label"] for q in self.questionnaire.shown_questions()
                if q["kind"] == "yesno" and answers.get(q["slug"]) is True]


class ConsentText(models.Model):
    """One version of the consent form for a treatment, frozen as shown."""

    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="consent_texts")
    version = models.PositiveIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["treatment", "-version"]
        constraints = [models.UniqueConstraint(fields=["treatment", "version"], name="one_consent_version")]

    def __str__(self) -> str:
        return f"{self.treatment} consent v{self.version}"


class Consent(models.Model):
    """A signed consent: the text version, the name typed as a signature, and when."""

    client = models.ForeignKey("venues.Client", on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    typed_name = EncryptedTextField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    signed_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"Consent {self.pk} to {self.text}"


class Outcome(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting for the result")
    PASSED = "passed", gettext_lazy("No reaction")
    REACTION = "reaction", gettext_lazy("Reaction")


class PathwayStatus(models.TextChoices):
    """Where a customer stands on one treatment's pathway at one venue (clinical.state.pathway_state), not stored."""

    NOT_NEEDED = "not_needed", gettext_lazy("No consultation or patch test needed")
    READY = "ready", gettext_lazy("Ready: a passed test covers it")
    NEEDS_CONSULTATION = "needs_consultation", gettext_lazy("Consultation needed")
    AWAITING_RESULT = "awaiting_result", gettext_lazy("Waiting for the patch-test result")
    REVIEW = "review", gettext_lazy("Answers waiting for a practitioner's review")
    DECLINED = "declined", gettext_lazy("Reviewed: not suitable")
    REACTION = "reaction", gettext_lazy("Reaction to a patch test")


class Consultation(models.Model):
    """A consultation and, where the treatment needs one, its patch (allergy) test result.

    `applied_at` is when the test was applied: the lead time counts from it
    and so does validity. It defaults to the end of the consultation booking.
    A reaction blocks online booking of the treatment at the venue until
    `cleared_at` is set by a practitioner.
    """

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="clinical_consultations")
    client = models.ForeignKey("venues.Client", on_delete=models.CASCADE, related_name="consultations")
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="clinical_consultations"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    applied_at = models.DateTimeField(help_text=gettext_lazy("When the test was applied (or the consultation ended)."))
    read_at = models.DateTimeField(null=True, blank=True, help_text=gettext_lazy("When the result was read."))
    product = EncryptedTextField(blank=True)
    batch = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    clear_reason = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["client", "treatment", "outcome"])]
        constraints = [
            models.UniqueConstraint(fields=["booking", "treatment"], condition=models.Q(booking__isnull=False),
                                    name="one_result_per_consultation_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.treatment} consultation {self.pk} ({self.outcome})"

    def earliest_treatment(self) -> dt.datetime:
        return self.treatment.earliest_after(self.applied_at)

    def valid_until(self) -> dt.datetime:
        return self.applied_at + self.treatment.patch_test_validity

    @property
    def blocks_booking(self) -> bool:
        return self.outcome == Outcome.REACTION and self.cleared_at is None

    def outcome_label(self) -> str:
        if self.outcome == Outcome.PASSED and not self.treatment.needs_patch_test:
            return "Consultation done: may go ahead"
        return self.get_outcome_display()


class PathwayOverride(models.Model):
    """A practitioner's decision to let a booking through a pathway rule, with the reason. Audit only."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="pathway_overrides")
    client = models.ForeignKey("venues.Client", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="pathway_overrides")
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40, help_text=gettext_lazy("The error code that was overridden."))
    start = models.DateTimeField(help_text=gettext_lazy("Start of the treatment that was let through."))
    reason = EncryptedTextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Override of {self.rule} for {self.treatment} at {self.venue_id}"


class CourseQuerySet(models.QuerySet["Course"]):
    def open_for(self, client: Any, treatment: Any) -> CourseQuerySet:
        """The client's courses of a treatment not ended yet, newest first (the first is the active one)."""
        return self.filter(client=client, treatment=treatment, ended_at__isnull=True).order_by("-created_at")


class Course(models.Model):
    """A planned course of sessions of one treatment for one client at one venue."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="clinical_courses")
    client = models.ForeignKey("venues.Client", on_delete=models.CASCADE, related_name="courses")
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="+")
    planned_sessions = models.PositiveSmallIntegerField()
    interval_days = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.treatment} course of {self.planned_sessions} for client {self.client_id}"

    def sessions_done(self) -> int:
        return self.sessions.count()

    def sessions_left(self) -> int:
        return max(self.planned_sessions - self.sessions_done(), 0)


class TreatmentSession(models.Model):
    """A session that took place, its notes and the customer's check-in two days later."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    booking = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField()
    performed_at = models.DateTimeField()
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    notes = EncryptedTextField(blank=True)
    checkin_due_at = models.DateTimeField()
    checkin_sent_at = models.DateTimeField(null=True, blank=True)
    checkin_at = models.DateTimeField(null=True, blank=True)
    checkin_answer = EncryptedJSONField(null=True, blank=True,
                                        help_text=gettext_lazy("{'side_effect': bool, 'note': str}; encrypted."))
    flagged = models.BooleanField(
        default=False, help_text=gettext_lazy("A side effect was reported: the practitioner should follow up."))
    flag_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flag_resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="one_session_number_per_course")]
        indexes = [models.Index(fields=["checkin_due_at", "checkin_sent_at"])]

    def __str__(self) -> str:
        return f"Session {self.number} of course {self.course_id}"

    @property
    def needs_follow_up(self) -> bool:
        return self.flagged and self.flag_resolved_at is None


class PhotoUse(models.TextChoices):
    CLINICAL = "clinical", gettext_lazy("Clinical record only")
    SHOWN_TO_ME = "shown", gettext_lazy("Clinical record, and shown to me")
    MARKETING = "marketing", gettext_lazy("May also be used in the venue's marketing")


class Angle(models.TextChoices):
    FRONT = "front", gettext_lazy("Front")
    LEFT = "left", gettext_lazy("Left side")
    RIGHT = "right", gettext_lazy("Right side")
    BACK = "back", gettext_lazy("Back")
    CLOSE_UP = "close", gettext_lazy("Close-up")


class ProgressPhoto(models.Model):
    """A progress photo. The bytes are an encrypted file; `storage_name` is random and meaningless."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="progress_photos")
    client = models.ForeignKey("venues.Client", on_delete=models.CASCADE, related_name="progress_photos")
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos")
    session = models.ForeignKey(
        TreatmentSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    angle = models.CharField(max_length=8, choices=Angle.choices, default=Angle.FRONT)
    taken_at = models.DateTimeField(default=dj_timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    storage_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    use = models.CharField(max_length=10, choices=PhotoUse.choices, default=PhotoUse.CLINICAL)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"Photo {self.pk} ({self.get_angle_display()})"

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(self.content_type, "bin")


class AccessLog(models.Model):
    """One read (or export, or erasure) of health data: who, which record, when, at which venue."""

    class Action(models.TextChoices):
        VIEW = "view", gettext_lazy("Viewed")
        DOWNLOAD = "download", gettext_lazy("Opened a photo")
        EXPORT = "export", gettext_lazy("Exported")
        ERASE = "erase", gettext_lazy("Erased")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=20, help_text=gettext_lazy("'customer' or the staff role at the time."))
    venue = models.ForeignKey(
        "venues.Venue", null=True, blank=True, on_delete=models.CASCADE, related_name="clinical_access_log"
    )
    client = models.ForeignKey("venues.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    record_type = models.CharField(max_length=30)
    record_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.VIEW)
    at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["venue", "at"]), models.Index(fields=["client", "at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.record_type} {self.record_id} at {self.at:%Y-%m-%d %H:%M}Z"
