"""The section-by-section editor: form definition + data -> what the template draws,
and the posted inputs -> raw data for clean_data(). Input names:
``f.<field>`` for a field, ``t.<table>.<row>.<column>`` for a table cell."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

EXTRA_ROWS = 3  # empty rows offered under each table when scripts are off
MAX_POSTED_ROWS = 5000
_CELL = re.compile(r"^t\.([a-z0-9_]+)\.(\d{1,5})\.([a-z0-9_]+)$")


def text(obj: Any) -> str:
    """The bilingual text of a definition in the current language (Vietnamese first)."""
    if isinstance(obj, dict):
        lang = (get_language() or "vi")[:2]
        return obj.get(lang) or obj.get("vi") or obj.get("en") or ""
    return obj or ""


def sections(definition: dict) -> list[dict]:
    return definition.get("sections", [])


def find_section(definition: dict, key: str | None) -> dict:
    items = sections(definition)
    return next((s for s in items if s["key"] == key), items[0] if items else {"key": "", "items": []})


def section_keys(section: dict) -> tuple[set[str], set[str]]:
    fields = {i["key"] for i in section.get("items", []) if i.get("kind") == "field"}
    tables = {i["key"] for i in section.get("items", []) if i.get("kind") == "table"}
    return fields, tables


def raw_from_post(section: dict, post) -> dict:
    """The posted values of one section, in the data shape (rows left empty are dropped)."""
    fields, tables = section_keys(section)
    raw: dict = {"fields": {}, "tables": {key: {} for key in tables}}
    for key in fields:
        item = next(i for i in section["items"] if i["key"] == key)
        if item.get("type") == "boolean":
            raw["fields"][key] = post.get(f"f.{key}") in ("on", "true", "1")
        elif f"f.{key}" in post:
            raw["fields"][key] = post.get(f"f.{key}", "").strip()
    for name in post:
        match = _CELL.match(name)
        if match and match.group(1) in tables and int(match.group(2)) < MAX_POSTED_ROWS:
            table, row, column = match.group(1), int(match.group(2)), match.group(3)
            raw["tables"][table].setdefault(row, {})[column] = post.get(name, "").strip()
    raw["tables"] = {
        key: [rows[i] for i in sorted(rows) if any(str(v).strip() for v in rows[i].values())]
        for key, rows in raw["tables"].items()}
    return raw


def merge_section(data: dict, section: dict, raw: dict) -> dict:
    """`data` with the section's fields and tables replaced by `raw`'s."""
    merged = copy.deepcopy(data) if data else {}
    merged.setdefault("fields", {})
    merged.setdefault("tables", {})
    fields, tables = section_keys(section)
    for key in fields:
        if key in raw.get("fields", {}):
            merged["fields"][key] = raw["fields"][key]
    for key in tables:
        merged["tables"][key] = raw.get("tables", {}).get(key, [])
    # A total of a table the user filled in is computed (clean_data fills an empty total):
    # a stale total typed before the rows changed would otherwise turn into an error.
    for item in (i for s in sections({"sections": [section]}) for i in s.get("items", [])):
        target = item.get("total_of")
        if item.get("kind") == "field" and target and merged["tables"].get(target.split(".")[0]):
            merged["fields"][item["key"]] = ""
    return merged


@dataclass
class Cell:
    name: str
    column: dict
    value: Any
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    return str(value)


def layout(definition: dict, section: dict, data: dict, errors: dict, warnings: dict, *, extra_rows: int = EXTRA_ROWS):
    """The items of one section with their values and messages, for the template."""
    out = []
    values = (data or {}).get("fields", {})
    rows_by_table = (data or {}).get("tables", {})
    for item in section.get("items", []):
        if item.get("kind") == "field":
            path = f"fields.{item['key']}"
            out.append({"kind": "field", "item": item, "name": f"f.{item['key']}",
                        "value": _display(values.get(item["key"])), "label": text(item.get("label")),
                        "help": text(item.get("help")), "errors": errors.get(path, []),
                        "warnings": warnings.get(path, []), "options": [
                            (o["key"], text(o.get("label"))) for o in item.get("options", [])]})
        else:
            rows = list(rows_by_table.get(item["key"], []))
            drawn = []
            for index, row in enumerate(rows + [{}] * extra_rows):
                cells = []
                for column in item.get("columns", []):
                    path = f"tables.{item['key']}.{index}.{column['key']}"
                    cells.append(Cell(name=f"t.{item['key']}.{index}.{column['key']}", column=column,
                                      value=_display(row.get(column["key"])), errors=errors.get(path, []),
                                      warnings=warnings.get(path, [])))
                row_path = f"tables.{item['key']}.{index}"
                drawn.append({"index": index, "cells": cells, "exceeds": bool(row.get("exceeds")),
                              "messages": errors.get(row_path, []) + warnings.get(row_path, []),
                              "blank": index >= len(rows)})
            out.append({"kind": "table", "item": item, "label": text(item.get("label")),
                        "help": text(item.get("help")),
                        "columns": [{"key": c["key"], "label": text(c.get("label")), "unit": c.get("unit", ""),
                                     "type": c.get("type", "text"), "required": c.get("required", False),
                                     "options": [(o["key"], text(o.get("label"))) for o in c.get("options", [])]}
                                    for c in item.get("columns", [])],
                        "rows": drawn, "errors": errors.get(f"tables.{item['key']}", []),
                        "warnings": warnings.get(f"tables.{item['key']}", [])})
    return out
