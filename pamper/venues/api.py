"""JSON API routes for venues."""

from ninja import Router

router = Router(tags=["venues"])
