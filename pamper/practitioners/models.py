"""A practitioner's credentials at a venue, and the prescriptions recorded for clients.

A `Credential` is one of: a registration with a professional body (profession, body, number), prescribing
rights, a training certificate for a treatment (the file stored encrypted), insurance, or a supervision (the
named supervising professional, a staff member of the same venue, for amber work). It counts for who may
treat once verified (by the venue's owner, or the platform's operator in the admin) and up to its
`valid_until` day. `reader.credentials_of` turns the rows into the pure values of clinical.who_may_treat.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REGISTRATION = "registration", _("Professional registration")
    PRESCRIBER = "prescriber", _("Prescribing rights")
    TRAINING = "training", _("Training certificate")
    INSURANCE = "insurance", _("Insurance")
    SUPERVISION = "supervision", _("Supervision by a registered professional")


class Profession(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    DENTIST = "dentist", _("Dentist")
    PHARMACIST = "pharmacist", _("Pharmacist")
    OTHER = "other_registered", _("Other registered professional")


# The registers a registration can be checked against (UK, then France), by profession.
BODIES = {
    "doctor": ["GMC", "CNOM"], "nurse": ["NMC"], "dentist": ["GDC"], "pharmacist": ["GPhC"],
    "other_registered": ["HCPC"],
}


class Credential(models.Model):
    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="credentials")
    staff = models.ForeignKey("venues.Staff", on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    profession = models.CharField(max_length=20, choices=Profession.choices, blank=True)
    body = models.CharField(max_length=80, blank=True, help_text=_("The register, insurer or training provider."))
    number = models.CharField(max_length=40, blank=True, help_text=_("Registration, policy or certificate number."))
    treatment = models.ForeignKey("catalog.Treatment", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text=_("Training and supervision: the treatment covered."))
    supervisor = models.ForeignKey("venues.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="supervising")
    valid_until = models.DateField(null=True, blank=True, help_text=_("The last day it counts."))
    certificate_name = models.CharField(max_length=64, blank=True)  # an encrypted file in the default storage
    certificate_type = models.CharField(max_length=40, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_role = models.CharField(max_length=20, blank=True)  # owner | operator
    created_at = models.DateTimeField(default=dj_timezone.now)
    # Expiry notices already sent, keyed by the valid_until they were about (a changed date is told again).
    notified_30 = models.DateField(null=True, blank=True)
    notified_7 = models.DateField(null=True, blank=True)
    lapse_handled = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["staff", "kind", "-valid_until", "id"]
        indexes = [models.Index(fields=["venue", "staff"]), models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.staff_id}"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def label(self) -> str:
        """How the venue page names a registration, e.g. "Nurse, NMC registered"."""
        if self.kind == Kind.REGISTRATION:
            return _("%(profession)s, %(body)s registered") % {"profession": self.get_profession_display(),
                                                               "body": self.body}
        if self.kind == Kind.PRESCRIBER:
            return str(_("Independent prescriber"))
        return str(self.get_kind_display())


class Prescription(models.Model):
    """A prescription for one client after a face-to-face assessment by a prescriber of the venue."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="prescriptions")
    client = models.ForeignKey("venues.Client", on_delete=models.CASCADE, related_name="prescriptions")
    treatment = models.ForeignKey("catalog.Treatment", on_delete=models.PROTECT, related_name="+")
    prescriber = models.ForeignKey("venues.Staff", on_delete=models.PROTECT, related_name="prescriptions")
    consultation = models.ForeignKey("bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text=_("The consultation visit of the assessment."))
    issued_on = models.DateField()
    valid_until = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["client", "treatment"])]

    def __str__(self) -> str:
        return f"Prescription {self.pk} for client {self.client_id}"


class Reassignment(models.Model):
    """A future booking whose practitioner lost a credential it needs: the venue must give it to someone qualified.

    `customer_told` when nobody qualified was free to take it at the time (the customer then hears from us).
    The workspace lists it while the visit is to come and still with that practitioner (moved to someone
    qualified or cancelled: done).
    """

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="reassignments")
    booking = models.ForeignKey("bookings.Booking", on_delete=models.CASCADE, related_name="reassignments")
    staff = models.ForeignKey("venues.Staff", on_delete=models.CASCADE, related_name="+")
    credential_kind = models.CharField(max_length=14, choices=Kind.choices)
    someone_free = models.BooleanField(default=False, help_text=_("Someone qualified was free at the time."))
    customer_told = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["booking", "staff"], name="one_reassignment_per_booking")]

    def __str__(self) -> str:
        return f"Reassign booking {self.booking_id}"
