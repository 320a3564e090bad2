"""The schema, the SQL and docs/data-exchange.md agree (no database)."""
from __future__ import annotations

import re

import pytest
from django.conf import settings

from exchange.schema import COLLECTIONS
from exchange.selectors import SOURCES, field_types

DOC = (settings.BASE_DIR / "docs" / "data-exchange.md").read_text(encoding="utf-8")


def section(key: str) -> str:
    match = re.search(rf"^### `{key}` .*?(?=^### |^## )", DOC, flags=re.M | re.S)
    assert match, f"docs/data-exchange.md has no section for {key}"
    return match.group(0)


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_every_field_is_documented_with_its_type(key):
    rows = dict(re.findall(r"^\| `([a-z0-9_]+)` \| ([a-z]+) \|", section(key), flags=re.M))
    assert list(rows) == list(COLLECTIONS[key].fields)
    assert rows == field_types(key)


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_schema_and_sql_agree(key):
    collection = COLLECTIONS[key]
    assert tuple(SOURCES[key].columns) == collection.fields
    assert ("geometry" in collection.fields) == collection.geometry == bool(collection.geometry_type)
    assert len(set(collection.fields)) == len(collection.fields)
