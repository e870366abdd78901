"""The API's schema errors in the request's language: pydantic's own English ("Input should be less than or equal
to 9223372036854775807", "value is not a valid email address: ...") reached German and French clients before."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Literal

import pytest
from django.test import Client
from django.utils import translation
from pydantic import BaseModel, EmailStr, Field, ValidationError

from pamper.lib import schema_messages

# Words of pydantic's English messages: none may reach a client who asked for another language.
PYDANTIC_ENGLISH = ("Input should", "String should", "List should", "Field required", "value is not",
                    "Extra inputs", "Value error")


class _Kind(enum.StrEnum):
    HAIR = "hair"
    NAILS = "nails"


class _Everything(BaseModel, extra="forbid"):
    count: int = Field(le=10)
    least: int = Field(ge=1)
    more: float = Field(gt=0)
    name: str = Field(max_length=3)
    code: str = Field(min_length=2)
    day: dt.date
    at: dt.datetime
    kind: _Kind
    mode: Literal["day", "week"]
    email: EmailStr
    ids: list[int] = Field(max_length=2)
    flag: bool
    needed: str


def _errors() -> list[dict]:
    bad = {"count": 99, "least": 0, "more": "x", "name": "abcd", "code": "a", "day": "31/03", "at": "soon",
           "kind": "spa", "mode": "year", "email": "nope", "ids": [1, 2, 3], "flag": "perhaps", "surprise": 1}
    with pytest.raises(ValidationError) as raised:
        _Everything.model_validate(bad)
    return raised.value.errors()


def test_every_kind_of_schema_error_has_its_own_sentence_in_each_language() -> None:
    errors = _errors()
    assert len(errors) == 14
    for language in ("de", "fr", "es", "it", "nl", "pt"):
        with translation.override(language):
            said = [schema_messages.say(e) for e in errors]
        with translation.override("en"):
            english = [schema_messages.say(e) for e in errors]
        for error, mine, theirs in zip(errors, said, english, strict=True):
            assert mine and not any(word in mine for word in PYDANTIC_ENGLISH), (language, error["type"], mine)
            assert mine != theirs, (language, error["type"], mine)  # translated, not left in English
    with translation.override("en"):
        by_type = {e["type"]: schema_messages.say(e) for e in errors}
    assert by_type["less_than_equal"] == "Enter a value of at most 10."
    assert by_type["string_too_long"] == "Enter at most 3 characters."
    assert by_type["enum"] == "Choose one of: 'hair', 'nails'."
    assert by_type["value_error"] == "Enter a valid email address."


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_api_answers_bad_input_in_the_clients_language(client: Client, language: str) -> None:
    cases = [
        client.post("/api/v1/auth/register", json.dumps({"email": "e@example.com", "password": "rose-petal-42",
                                                         "name": "x" * 151}), content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE=language),
        client.post("/api/v1/auth/register", json.dumps({"email": "nope", "password": "rose-petal-42", "name": "E"}),
                    content_type="application/json", HTTP_ACCEPT_LANGUAGE=language),
        client.post("/api/v1/auth/register", json.dumps({"email": "e@example.com"}), content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE=language),
        client.get("/api/v1/search", {"q": "massage", "near": "London", "limit": "999"}, HTTP_ACCEPT_LANGUAGE=language),
        client.get(f"/api/v1/venues/{2**64}", HTTP_ACCEPT_LANGUAGE=language),
    ]
    for response in cases:
        body = response.json()
        assert response.status_code == 422 and body["code"] == "invalid", body
        shown = [body["message"], *(e["message"] for e in body["errors"])]
        assert not any(word in text for text in shown for word in PYDANTIC_ENGLISH), body
    with translation.override(language):
        at_most = translation.gettext("Enter a value of at most %(limit)s.") % {"limit": 50}
    assert cases[3].json()["message"] == f"limit: {at_most}"
