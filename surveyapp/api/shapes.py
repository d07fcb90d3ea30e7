"""Checking a body item against its flat object schema from the document (TicketInput,
CustomerInput): unknown and missing fields, JSON types, enums, lengths, RFC 3339 times.

The schema in ``openapi.SCHEMAS`` is the one source: what the document promises to refuse is
refused here, before any business rule runs (a batch with an item of the wrong shape is a
client's bug and stores nothing).
"""

from __future__ import annotations

import re
from typing import Any

from .errors import FieldError

RFC3339 = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "null": (type(None),),
    "boolean": (bool,),
    "integer": (int,),
}


def _type_ok(value: Any, types: list[str]) -> bool:
    if isinstance(value, bool) and "boolean" not in types:
        return False
    return any(isinstance(value, JSON_TYPES[t]) for t in types)


def _problem(spec: dict[str, Any], value: Any) -> str | None:
    types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    if not _type_ok(value, types):
        return f"Must be {' or '.join(types)}."
    if "enum" in spec and value not in spec["enum"]:
        return f"One of: {', '.join(str(v) for v in spec['enum'] if v is not None)}."
    if isinstance(value, str):
        if len(value) < spec.get("minLength", 0):
            return "A value is required."
        if len(value) > spec.get("maxLength", len(value)):
            return f"Longer than {spec['maxLength']} characters."
        if spec.get("format") == "date-time" and not RFC3339.match(value):
            return "Not an RFC 3339 time such as 2026-11-02T09:30:00+08:00."
    return None


def shape_errors(schema: dict[str, Any], item: Any, index: int | None) -> list[FieldError]:
    """Where ``item`` breaks ``schema`` (an object schema with plain properties)."""
    if not isinstance(item, dict):
        return [FieldError(None, "Each item must be an object.", "body", index)]
    properties = schema["properties"]
    found = [
        FieldError(str(name)[:50], "Unknown field.", "body", index)
        for name in item
        if name not in properties
    ]
    found += [
        FieldError(name, "A value is required.", "body", index)
        for name in schema.get("required", ())
        if name not in item
    ]
    for name, spec in properties.items():
        if name in item and (problem := _problem(spec, item[name])) is not None:
            found.append(FieldError(name, problem, "body", index))
    return found
