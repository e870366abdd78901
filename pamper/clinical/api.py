"""JSON API routes for clinical."""

from ninja import Router

router = Router(tags=["clinical"])
