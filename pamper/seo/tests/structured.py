"""Reading a page's JSON-LD and checking it against the schema.org subset in schema_org_subset.json.

The checks: every node's @type is a known type; every property is one that
schema.org defines on that type or an ancestor; every value has one of the
property's expected types (a nested node must be of an expected type or a
subtype; data types are checked by form); and the properties Google requires
for the rich results used (LocalBusiness, AggregateRating, FAQPage,
BreadcrumbList, ItemList, Offer).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

VOCABULARY = json.loads((Path(__file__).parent / "schema_org_subset.json").read_text())
TYPES: dict[str, dict] = VOCABULARY["types"]
ENUMS: dict[str, list[str]] = VOCABULARY["enumerations"]
TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
REQUIRED = {
    "LocalBusiness": ("name", "address"),
    "AggregateRating": ("ratingValue",),
    "Question": ("name", "acceptedAnswer"),
    "Answer": ("text",),
    "ListItem": ("position",),
    "Offer": ("price", "priceCurrency"),
    "AggregateOffer": ("lowPrice", "priceCurrency"),
}


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def jsonld_blocks(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD block of the page, parsed (a block that is not valid JSON fails here)."""
    parser = _Scripts()
    parser.feed(html)
    return [json.loads(block) for block in parser.blocks]


def ancestors(type_name: str) -> set[str]:
    found, todo = set(), [type_name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(TYPES[current]["parents"])
    return found


def is_a(type_name: str, wanted: str) -> bool:
    return type_name in TYPES and wanted in ancestors(type_name)


def _properties(type_name: str) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for name in ancestors(type_name):
        for prop, expected in TYPES[name]["properties"].items():
            props.setdefault(prop, []).extend(expected)
    return props


def _value_ok(value: Any, expected: list[str], path: str, errors: list[str]) -> None:
    if isinstance(value, dict):
        kind = value.get("@type")
        if not any(is_a(kind, e) for e in expected if e in TYPES):
            errors.append(f"{path}: a {kind} where schema.org expects {expected}")
        _node(value, path, errors)
        return
    # A URL where a thing is expected names that thing (its @id): schema.org and Google's breadcrumbs allow it.
    ok = any(e in TYPES for e in expected) and isinstance(value, str) and value.startswith(("http://", "https://"))
    for e in expected:
        if e in ENUMS:
            ok = ok or (isinstance(value, str) and value.removeprefix("https://schema.org/") in ENUMS[e])
        elif e in ("Text", "Language", "Country", "Date", "DateTime"):
            ok = ok or isinstance(value, str)
        elif e == "URL":
            ok = ok or (isinstance(value, str) and value.startswith(("http://", "https://")))
        elif e == "Number":
            ok = ok or (isinstance(value, int | float) and not isinstance(value, bool)) or (
                isinstance(value, str) and bool(NUMBER.match(value)))
        elif e == "Integer":
            ok = ok or (isinstance(value, int) and not isinstance(value, bool))
        elif e == "Time":
            ok = ok or (isinstance(value, str) and bool(TIME.match(value)))
    if not ok:
        errors.append(f"{path}: {value!r} is none of {expected}")


def _node(node: dict[str, Any], path: str, errors: list[str]) -> None:
    kind = node.get("@type")
    if kind not in TYPES:
        errors.append(f"{path}: unknown @type {kind!r}")
        return
    props = _properties(kind)
    for prop, value in node.items():
        if prop in ("@context", "@type", "@id"):
            continue
        if prop not in props:
            errors.append(f"{path}.{prop}: not a property of {kind}")
            continue
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            _value_ok(item, props[prop], f"{path}.{prop}[{i}]", errors)
    for base, required in REQUIRED.items():
        # An AggregateOffer is an Offer with a price range instead of one price.
        if is_a(kind, base) and not (base == "Offer" and kind == "AggregateOffer"):
            errors.extend(f"{path}: {kind} lacks {r}" for r in required if r not in node)
    if kind == "AggregateRating" and not ({"reviewCount", "ratingCount"} & set(node)):
        errors.append(f"{path}: AggregateRating needs reviewCount or ratingCount")


def problems(block: dict[str, Any]) -> list[str]:
    """What is wrong with one top-level JSON-LD block ([] when it validates)."""
    errors: list[str] = []
    if block.get("@context") not in ("https://schema.org", "https://schema.org/"):
        errors.append("@context is not https://schema.org")
    _node(block, block.get("@type", "?"), errors)
    return errors


def types_in(value: Any) -> set[str]:
    """Every @type used anywhere in a block."""
    if isinstance(value, list):
        return set().union(*(types_in(v) for v in value)) if value else set()
    if isinstance(value, dict):
        own = {value["@type"]} if "@type" in value else set()
        return own.union(*(types_in(v) for v in value.values()))
    return set()
