"""A JSON answer built outside ninja's return path, for handlers that set headers on it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

JSON = "application/json; charset=utf-8"


def json_response(data: Any, *, status: int) -> HttpResponse:
    """`data` as JSON with `status`, encoded as the API encodes its answers (dates, decimals, UUIDs)."""
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type=JSON)
