"""Writers of the exchanged data: JSON and GeoJSON made by PostgreSQL (json_agg, ST_AsGeoJSON),
CSV rows rendered as text by PostgreSQL, a GeoPackage through geopandas/pyogrio, and the
data package itself (those files, manifest.json and SHA256SUMS, zipped).

No Python code walks the features: the database builds each JSON document whole, and the
GeoPackage is written from one query per layer.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils import translation

from exchange.schema import COLLECTIONS, CRS_EPSG, CRS_URI, SCHEMA_VERSION
from exchange.selectors import CSV, GPKG, JSON, Access, Filters, field_types, full_access, quote, select_sql

PACKAGE_NAME = "haiphong-environment-exchange"
GPKG_NAME = "data.gpkg"
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"
CHUNK = 1024 * 1024


# --- JSON and GeoJSON from PostgreSQL ------------------------------------------------------

def _properties_sql(names: tuple[str, ...]) -> str:
    # Names come from the schema (identifiers), never from the request; json_build_object
    # keeps their order, which to_jsonb would not.
    pairs = ", ".join(f"'{name}', r.{quote(name)}" for name in names)
    return f"json_build_object({pairs})"


def records_json(access: Access, *, filters: Filters | None = None, limit: int | None = None,
                 offset: int = 0) -> tuple[int, str]:
    """(rows, text of a JSON array of records) with the granted fields only; for a geometry
    collection the "geometry" field, when granted, is a GeoJSON geometry."""
    inner, params = select_sql(access, mode=JSON, filters=filters, limit=limit, offset=offset)
    sql = (f"SELECT count(*), COALESCE(json_agg({_properties_sql(access.fields)} ORDER BY r._row), "
           f"'[]'::json)::text FROM ({inner}) r")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows, text = cursor.fetchone()
    return rows, text


def features_geojson(access: Access, *, filters: Filters | None = None, limit: int | None = None,
                     offset: int = 0) -> tuple[int, str]:
    """(rows, text of a JSON array of GeoJSON Features). The geometry is null unless granted,
    and a Feature carries no "id" member: the identifier is a property like the others."""
    inner, params = select_sql(access, mode=JSON, filters=filters, limit=limit, offset=offset)
    properties = tuple(name for name in access.fields if name != "geometry")
    geometry = f"r.{quote('geometry')}" if "geometry" in access.fields else "NULL::json"
    feature = (f"json_build_object('type', 'Feature', 'geometry', {geometry}, "
               f"'properties', {_properties_sql(properties)})")
    sql = f"SELECT count(*), COALESCE(json_agg({feature} ORDER BY r._row), '[]'::json)::text FROM ({inner}) r"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows, text = cursor.fetchone()
    return rows, text


def csv_rows(access: Access, *, filters: Filters | None = None, limit: int | None = None,
             offset: int = 0) -> list[tuple]:
    """The records as tuples of text (ISO dates, JSON text, WKT geometry), in field order."""
    sql, params = select_sql(access, mode=CSV, filters=filters, limit=limit, offset=offset, row_number=False)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def document(access: Access, *, filters: Filters | None = None) -> tuple[int, str]:
    """(rows, text) of a collection's whole file: a FeatureCollection or a JSON array."""
    if access.collection.geometry:
        rows, features = features_geojson(access, filters=filters)
        return rows, '{"type":"FeatureCollection","features":' + features + "}"
    return records_json(access, filters=filters)


# --- GeoPackage -----------------------------------------------------------------------------

def write_gpkg(path: Path, accesses: list[Access], *, filters: Filters | None = None) -> dict[str, int]:
    """One layer per collection (attribute tables for those without geometry); returns the rows per layer."""
    import geopandas
    import pandas
    from pyogrio import write_dataframe

    counts: dict[str, int] = {}
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection, inside the caller's transaction
    for access in accesses:
        sql, params = select_sql(access, mode=GPKG, filters=filters, row_number=False)
        collection = access.collection
        with warnings.catch_warnings():
            # pandas reads a plain DB-API connection through its generic path and says it only
            # tests SQLAlchemy; the project has no SQLAlchemy, and psycopg is a conforming DB-API.
            warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy", category=UserWarning)
            if collection.geometry and "geometry" in access.fields:
                frame = geopandas.read_postgis(sql, raw, geom_col="geometry", params=params,
                                               crs=f"EPSG:{CRS_EPSG}")
            else:
                frame = pandas.read_sql(sql, raw, params=params)
        if isinstance(frame, geopandas.GeoDataFrame):
            write_dataframe(frame, path, layer=collection.key, driver="GPKG",
                            geometry_type=collection.geometry_type, promote_to_multi=False)
        else:
            write_dataframe(frame, path, layer=collection.key, driver="GPKG")
        counts[collection.key] = len(frame)
    return counts


# --- the data package -----------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class BuiltPackage:
    """A package written to a local directory, ready to be stored."""

    path: Path
    filename: str
    manifest: dict
    counts: dict[str, int]
    sha256: str
    size: int


def _labels(value) -> dict[str, str]:
    out = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            out[lang] = str(value)
    return out


def package_filename(version: int, generated_at: dt.datetime) -> str:
    return f"{PACKAGE_NAME}-v{version:04d}-{generated_at:%Y%m%d}.zip"


def write_package(directory: Path, *, version: int, generated_at: dt.datetime, generated_by: str,
                  filters: Filters, keys: tuple[str, ...] = tuple(COLLECTIONS)) -> BuiltPackage:
    """Write every collection (JSON/GeoJSON and a GeoPackage layer), manifest.json and SHA256SUMS
    into `directory`, then zip them; nothing leaves `directory`."""
    content = directory / "content"
    content.mkdir()
    accesses = [full_access(key) for key in keys]
    entries, counts = [], {}
    for access in accesses:
        collection = access.collection
        rows, text = document(access, filters=filters)
        name = f"{collection.key}.geojson" if collection.geometry else f"{collection.key}.json"
        (content / name).write_text(text, encoding="utf-8")
        counts[collection.key] = rows
        types = field_types(collection.key)
        entries.append({
            "key": collection.key,
            "title": _labels(collection.label),
            "schema_version": collection.schema_version,
            "file": name,
            "media_type": "application/geo+json" if collection.geometry else "application/json",
            "gpkg_layer": collection.key,
            "geometry_type": collection.geometry_type or None,
            "rows": rows,
            "fields": [{"name": f, "type": types[f]} for f in collection.fields],
        })
    gpkg_counts = write_gpkg(content / GPKG_NAME, accesses, filters=filters)
    if gpkg_counts != counts:  # both come from the same SQL in the same transaction
        raise RuntimeError(f"GeoPackage rows {gpkg_counts} differ from JSON rows {counts}")
    data_files = sorted(p.name for p in content.iterdir())
    files = [{"path": name, "bytes": (content / name).stat().st_size, "sha256": sha256_file(content / name)}
             for name in data_files]
    manifest = {
        "package": PACKAGE_NAME,
        "version": version,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.isoformat(),
        "generated_by": generated_by,
        "period": {
            "start": filters.period_start.isoformat() if filters.period_start else None,
            "end": filters.period_end.isoformat() if filters.period_end else None,
        },
        "crs": f"EPSG:{CRS_EPSG}",
        "crs_uri": CRS_URI,
        "encoding": "UTF-8",
        "documentation": "docs/data-exchange.md",
        "collections": entries,
        "files": files,
    }
    (content / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # `sha256sum -c SHA256SUMS` checks every file, the manifest included.
    sums = [*files, {"path": MANIFEST_NAME, "sha256": sha256_file(content / MANIFEST_NAME)}]
    (content / SUMS_NAME).write_text("".join(f"{f['sha256']}  {f['path']}\n" for f in sums), encoding="ascii")
    filename = package_filename(version, generated_at)
    path = directory / filename
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in [MANIFEST_NAME, SUMS_NAME, *data_files]:
            archive.write(content / name, arcname=name)
    return BuiltPackage(path=path, filename=filename, manifest=manifest, counts=counts,
                        sha256=sha256_file(path), size=path.stat().st_size)
