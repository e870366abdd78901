"""The treatment catalogue: categories, treatments, their guides and safety data.

The catalogue is data, not admin input: it lives in versioned TOML files under
pamper/catalog/data/ and is loaded by `pamper load_catalog` (idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

from .i18n import (
    SOURCE_LANGUAGE,
    TranslatedCharField,
    TranslatedJSONField,
    TranslatedTextField,
    active_language,
    translated,
)

DEFAULT_VALIDITY_DAYS = 180  # a patch test or consultation counts for six months unless the catalogue says otherwise


class Category(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    name = TranslatedCharField(max_length=80)
    description = TranslatedTextField(blank=True)
    # The other languages' text, {"fr": {"name": ..., "description": ...}} (pamper/catalog/i18n.py).
    translations = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:category", args=[self.slug])


class Contraindication(models.Model):
    """A reason not to have a treatment, asked as a yes/no question in the medical form."""

    slug = models.SlugField(unique=True, max_length=60)
    label = TranslatedCharField(max_length=120)
    question = TranslatedCharField(max_length=300)
    # The other languages' text, {"fr": {"label": ..., "question": ..., "why": ...}} (pamper/catalog/i18n.py).
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Treatment(models.Model):
    """A kind of treatment (not a venue's priced service: that is venues.Service)."""

    slug = models.SlugField(unique=True, max_length=80)
    name = TranslatedCharField(max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="treatments")
    summary = TranslatedCharField(max_length=400)
    synonyms = TranslatedJSONField(default=list, blank=True, help_text=gettext_lazy("Other names people search for."))
    conditions = TranslatedJSONField(
        default=list, blank=True, help_text=gettext_lazy("Concerns it addresses (searchable).")
    )
    variants = models.JSONField(default=list, blank=True, help_text=gettext_lazy("Named variants, e.g. needle-free."))
    session_minutes = models.PositiveSmallIntegerField(help_text=gettext_lazy("Typical session length."))
    course_sessions = models.PositiveSmallIntegerField(default=1)
    course_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    downtime = TranslatedCharField(max_length=200, blank=True)
    pain = TranslatedCharField(
        gettext_lazy("How it feels"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Does it hurt? What people usually feel, and what is done about it."),
    )
    side_effects = TranslatedJSONField(default=list, blank=True)
    aftercare = TranslatedJSONField(default=list, blank=True)
    contraindications = models.ManyToManyField(Contraindication, blank=True, related_name="treatments")
    alternatives = models.ManyToManyField("self", symmetrical=False, blank=True)
    consultation_required = models.BooleanField(default=False)
    patch_test_lead_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    patch_test_validity_days = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = TranslatedTextField(blank=True, help_text=gettext_lazy("What the evidence says, plainly."))
    price_from = models.DecimalField(max_digits=8, decimal_places=2, help_text=gettext_lazy("Typical UK price, GBP."))
    price_to = models.DecimalField(max_digits=8, decimal_places=2)
    guide_what = TranslatedTextField(gettext_lazy("What it is"), blank=True)
    guide_how = TranslatedTextField(gettext_lazy("How it works"), blank=True)
    guide_for_me = TranslatedTextField(gettext_lazy("Is it for me?"), blank=True)
    guide_good_to_know = TranslatedTextField(gettext_lazy("Good to know"), blank=True)
    guide_aftercare = TranslatedTextField(gettext_lazy("Aftercare"), blank=True)
    # The other languages' text, {"fr": {"name": ..., "summary": ..., "guide_what": ...}} (pamper/catalog/i18n.py);
    # `variants` there are display labels, the English ones stay the keys venues and search use.
    translations = models.JSONField(default=dict, blank=True)

    # The guide's long text, which lists of services (a venue's menu) never show: left unread there.
    GUIDE_TEXT = ("guide_what", "guide_how", "guide_for_me", "guide_good_to_know", "guide_aftercare", "evidence",
                  "side_effects", "aftercare", "conditions", "synonyms")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:detail", args=[self.slug])

    @property
    def has_guide(self) -> bool:
        return bool(self.guide_what and self.guide_how)

    @property
    def needs_patch_test(self) -> bool:
        return self.patch_test_lead_hours is not None

    @property
    def validity_days(self) -> int:
        """How many days a passed patch test or consultation counts for."""
        return self.patch_test_validity_days or DEFAULT_VALIDITY_DAYS

    @property
    def has_pathway(self) -> bool:
        """True when booking it first needs a consultation or a patch test."""
        return self.consultation_required or self.needs_patch_test

    # The pathway's timing rules, pure (no database): clinical.pathway applies them.

    @property
    def patch_test_lead(self) -> dt.timedelta:
        """How long after a test is applied (or a consultation ends) it may start; zero when it needs no test."""
        return dt.timedelta(hours=self.patch_test_lead_hours or 0)

    @property
    def patch_test_validity(self) -> dt.timedelta:
        """How long a passed test or consultation (and the questionnaire answered for it) counts for."""
        return dt.timedelta(days=self.validity_days)

    def earliest_after(self, applied_at: dt.datetime) -> dt.datetime:
        """The first instant it may start after a test applied (or a consultation ending) at applied_at."""
        return applied_at + self.patch_test_lead

    def patch_test_covers(self, applied_at: dt.datetime, start: dt.datetime) -> bool:
        """True when a test applied at applied_at allows it to start at start: past the lead time, within the validity
        (both ends included)."""
        return applied_at + self.patch_test_lead <= start <= applied_at + self.patch_test_validity

    @property
    def guide_language(self) -> str:
        """The language the guide reads in now: the active one when the guide is translated into it, else English."""
        language = active_language()
        if language == SOURCE_LANGUAGE or (translated(self, "guide_what") and translated(self, "guide_how")):
            return language
        return SOURCE_LANGUAGE

    def variant_label(self, variant: str) -> str:
        """A variant (an English key, e.g. 'needle-free') as the active language names it."""
        labels = translated(self, "variants") or []
        english = list(self.__dict__.get("variants") or [])
        return labels[english.index(variant)] if variant in english and len(labels) == len(english) else variant

    def guide_sections(self) -> list[tuple[str, str]]:
        """(heading, text) for each non-empty guide section, in reading order."""
        fields = ["guide_what", "guide_how", "guide_for_me", "guide_good_to_know", "guide_aftercare"]
        return [(str(self._meta.get_field(f).verbose_name), getattr(self, f)) for f in fields if getattr(self, f)]
