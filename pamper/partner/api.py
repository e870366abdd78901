"""JSON API routes for partner."""

from ninja import Router

router = Router(tags=["partner"])
