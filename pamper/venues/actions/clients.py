"""Writes to a venue's client records (contact details and non-clinical notes)."""

from __future__ import annotations

from ..models import Client, Venue
from .common import clean


def add_client(*, venue: Venue, name: str, phone: str = "", email: str = "") -> Client:
    """Record a client the venue entered itself (a phone or walk-in client, no account); returns it.

    Spaces around the details go and the email is lower-cased. The caller has
    checked the details (partner.desk: a name, and nobody on file matching).
    """
    return Client.objects.create(venue=venue, name=name.strip(), phone=phone.strip(), email=email.strip().lower())


def update_client(*, client: Client, name: str, phone: str, email: str, notes: str) -> Client:
    """Change the venue's contact details and (non-clinical) notes of a client; returns it.

    Refusal 422 invalid with the fields at fault; nothing changed then.
    """
    client.name, client.phone, client.email, client.notes = name, phone, email, notes
    clean(client)
    client.save(update_fields=["name", "phone", "email", "notes"])
    return client
