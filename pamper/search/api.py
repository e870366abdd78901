"""JSON API routes for search."""

from ninja import Router

router = Router(tags=["search"])
