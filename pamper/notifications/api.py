"""JSON API routes for notifications."""

from ninja import Router

router = Router(tags=["notifications"])
