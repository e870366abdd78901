"""JSON API routes for reviews."""

from ninja import Router

router = Router(tags=["reviews"])
