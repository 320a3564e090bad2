"""Reading uploaded files safely, then as rows (RELIABILITY.md section D, R-18 to R-20).

Order of the checks, each before the next step can cost anything:
1. the extension picks the format (an allowlist); the size is capped while the file
   is copied into a private temporary directory under a generated name;
2. the first bytes must match the format (a renamed .exe is refused);
3. archives (.zip Shapefiles, .xlsx) are checked from the central directory before
   anything is unpacked: entry count, names (no absolute paths, "..", drive letters,
   symlinks, duplicates), total uncompressed size, compression ratio, overlapping
   entries (Python 3.11.7 lacks the CVE-2024-0450 check); only the Shapefile's own
   parts are then stream-extracted, with byte counters, under generated names;
4. XML (KML, the parts of an .xlsx) must not declare a DOCTYPE or entities, nor pull
   other documents (NetworkLink, XInclude);
5. the row count and the vertices per geometry are capped.

GeoJSON, Shapefile, GeoPackage and KML are read by GDAL through pyogrio; CSV by
Python's csv module (GDAL's CSV driver has options that reach other files). The
coordinates are transformed to EPSG:4326 with geoportal.core.crs (PROJ through EPSG
codes, pinned to EPSG:6960 for VN-2000); the source SRID is kept.
"""
from __future__ import annotations

import csv
import io
import logging
import re
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from geoportal.core import crs as crsmod
from layers.imports.parsing import clean_text, column_key, is_blank
from layers.imports.report import ImportRefused

logger = logging.getLogger(__name__)

MAX_ROWS = 100_000
MAX_VERTICES = 100_000              # per geometry
ZIP_MAX_ENTRIES = 100
ZIP_MAX_TOTAL = 200 * 1024 * 1024   # uncompressed bytes, all entries together
ZIP_MAX_RATIO = 200                 # uncompressed : compressed, per entry ...
ZIP_RATIO_FLOOR = 1024 * 1024       # ... once the entry is larger than 1 MB
CHUNK = 64 * 1024
HEAD = 4096

# Format key -> accepted extensions (the first one names the staged copy).
FORMATS: dict[str, tuple[str, ...]] = {
    "geojson": (".geojson", ".json"),
    "shapefile": (".zip",),
    "gpkg": (".gpkg",),
    "kml": (".kml",),
    "csv": (".csv",),
    "xlsx": (".xlsx",),
}
FEATURE_FORMATS = ("geojson", "shapefile", "gpkg", "kml", "csv")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

# Headers recognised as coordinates in a CSV when no column is named.
LON_COLUMNS = ("lon", "lng", "long", "longitude", "kinh_do", "kinh_do_e", "x_lon")
LAT_COLUMNS = ("lat", "latitude", "vi_do", "vi_do_n", "y_lat")
X_COLUMNS = ("x", "toa_do_x", "x_m", "x_vn2000", "x_vn_2000")
Y_COLUMNS = ("y", "toa_do_y", "y_m", "y_vn2000", "y_vn_2000")

_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_XML_FORBIDDEN = (b"<!doctype", b"<!entity", b"networklink", b"xinclude", b"<xi:")


@dataclass
class ImportOptions:
    """Choices that come with a file: a layer inside it, the CRS, CSV coordinate columns."""

    layer_name: str = ""
    srid: int | None = None
    x_column: str = ""
    y_column: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "ImportOptions":
        data = data or {}
        srid = data.get("srid")
        return cls(layer_name=str(data.get("layer_name") or ""), srid=int(srid) if srid else None,
                   x_column=str(data.get("x_column") or ""), y_column=str(data.get("y_column") or ""))


@dataclass
class SourceRow:
    """One row as read: raw values by header, geometry as WKB in EPSG:4326."""

    number: int
    values: dict[str, Any]
    wkb: bytes | None = None
    vertices: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Table:
    headers: list[str]
    rows: list[SourceRow]
    source_srid: int | None = None
    notes: list[str] = field(default_factory=list)
    coordinate_columns: tuple[str, ...] = ()  # CSV columns read as the geometry


# --- 1. Format and size ---------------------------------------------------------------
def detect_format(name: str, *, allowed: tuple[str, ...] = FEATURE_FORMATS) -> str:
    """The format of an uploaded file from its name's extension (an allowlist)."""
    suffix = Path(name or "").suffix.lower()
    for key in allowed:
        if suffix in FORMATS[key]:
            return key
    accepted = ", ".join(ext for key in allowed for ext in FORMATS[key])
    raise ImportRefused(_("Files of type “%(ext)s” are not accepted; use %(accepted)s.")
                        % {"ext": suffix or name, "accepted": accepted})


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def check_size(size: int | None) -> None:
    if size is not None and size > max_bytes():
        raise ImportRefused(_("The file is larger than the limit of %(mb)s MB.")
                            % {"mb": round(max_bytes() / 1024 / 1024, 1)})


# --- 2. Magic bytes -------------------------------------------------------------------
def _text_start(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


def check_magic(fmt: str, head: bytes) -> None:
    """The first bytes must be what the extension claims."""
    ok = True
    if not head or head.startswith(_EXECUTABLE_MAGIC):
        ok = False
    elif fmt == "geojson":
        ok = _text_start(head)[:1] == b"{" and b"\x00" not in head
    elif fmt in ("shapefile", "xlsx"):
        ok = head.startswith(b"PK\x03\x04")
    elif fmt == "gpkg":
        # SQLite header, and the GeoPackage application id at offset 68.
        ok = head.startswith(b"SQLite format 3\x00") and head[68:72] in (b"GPKG", b"GP10", b"GP11")
    elif fmt == "kml":
        start = _text_start(head)
        ok = (start.startswith(b"<?xml") or start.startswith(b"<kml")) and b"\x00" not in head
    elif fmt == "csv":
        ok = b"\x00" not in head
    if not ok:
        raise ImportRefused(_("The content of the file does not match its type (%(fmt)s).")
                            % {"fmt": ", ".join(FORMATS[fmt])})


# --- Staging -------------------------------------------------------------------------
def _chunks(source) -> Iterator[bytes]:
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        return
    if hasattr(source, "open") and getattr(source, "closed", False):
        source.open("rb")
    if hasattr(source, "seek"):
        source.seek(0)
    if hasattr(source, "chunks"):
        yield from source.chunks(CHUNK)
        return
    while chunk := source.read(CHUNK):
        yield chunk


@contextmanager
def staged(source, *, fmt: str) -> Iterator[Path]:
    """Copy `source` (a path, or a Django/Python binary file) into a private temporary
    directory under a generated name, enforcing the size limit and the magic bytes.
    The directory and everything extracted into it are removed afterwards."""
    check_size(getattr(source, "size", None) if not isinstance(source, (str, Path)) else Path(source).stat().st_size)
    with tempfile.TemporaryDirectory(prefix="geoportal-import-") as tmp:
        target = Path(tmp) / f"upload{FORMATS[fmt][0]}"
        written, head = 0, b""
        with open(target, "wb") as out:
            for chunk in _chunks(source):
                written += len(chunk)
                if written > max_bytes():
                    check_size(written)
                if len(head) < HEAD:
                    head += chunk[:HEAD - len(head)]
                out.write(chunk)
        check_magic(fmt, head)
        yield target


# --- 3. Archives ----------------------------------------------------------------------
_DRIVE = re.compile(r"^[A-Za-z]:")


def _check_member_name(name: str) -> None:
    bad = (not name or "\x00" in name or "\\" in name or name.startswith("/") or _DRIVE.match(name)
           or any(part == ".." for part in name.split("/"))
           or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name))
    if bad:
        raise ImportRefused(_("The archive contains an unsafe file name: %(name)s")
                            % {"name": name.encode("unicode_escape").decode("ascii")[:120]})


def inspect_zip(path: Path) -> list[zipfile.ZipInfo]:
    """Check an archive from its central directory, before extracting anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ImportRefused(_("The file is not a valid zip archive.")) from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ImportRefused(_("The archive has %(n)d entries; the limit is %(max)d.")
                            % {"n": len(infos), "max": ZIP_MAX_ENTRIES})
    total, seen = 0, set()
    size_on_disk = path.stat().st_size
    for info in infos:
        _check_member_name(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ImportRefused(_("The archive contains a symbolic link: %(name)s") % {"name": info.filename})
        key = unicodedata.normalize("NFC", info.filename).casefold()
        if key in seen:
            raise ImportRefused(_("The archive contains the same name twice: %(name)s") % {"name": info.filename})
        seen.add(key)
        if info.flag_bits & 0x1:
            raise ImportRefused(_("Encrypted archives are not accepted."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportRefused(_("The archive uses an unsupported compression method."))
        total += info.file_size
        if total > ZIP_MAX_TOTAL:
            raise ImportRefused(_("The archive would unpack to more than %(mb)d MB.")
                                % {"mb": ZIP_MAX_TOTAL // 1024 // 1024})
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise ImportRefused(_("The archive entry %(name)s is compressed more than %(ratio)d:1 "
                                  "(a zip bomb?).") % {"name": info.filename, "ratio": ZIP_MAX_RATIO})
        if info.header_offset + info.compress_size > size_on_disk:
            raise ImportRefused(_("The file is not a valid zip archive."))
    # Overlapping entries (CVE-2024-0450): each entry's local header (30 bytes at least)
    # and data must end before the next entry starts.
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if first.header_offset + 30 + first.compress_size > second.header_offset:
            raise ImportRefused(_("The archive has overlapping entries."))
    return infos


def extract_members(path: Path, members: dict[str, Path]) -> None:
    """Stream-extract the named members to the given paths, counting bytes: a member that
    unpacks to more than its declared size, or past the total limit, stops everything."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for name, dest in members.items():
                info = archive.getinfo(name)
                written = 0
                with archive.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(CHUNK):
                        written += len(chunk)
                        total += len(chunk)
                        if written > info.file_size or total > ZIP_MAX_TOTAL:
                            raise ImportRefused(_("The archive unpacks to more than it declares."))
                        out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        raise ImportRefused(_("The file is not a valid zip archive.")) from None


def _scan_xml(stream, name: str) -> int:
    """Refuse XML that declares a DOCTYPE or entities or pulls other documents (XXE,
    billion laughs, NetworkLink); returns the bytes read."""
    tail, read = b"", 0
    while chunk := stream.read(CHUNK):
        read += len(chunk)
        window = (tail + chunk).lower()
        for marker in _XML_FORBIDDEN:
            if marker in window:
                raise ImportRefused(_("%(name)s declares a DOCTYPE, entities or external documents, "
                                      "which are not accepted.") % {"name": name})
        tail = window[-32:]
        if read > ZIP_MAX_TOTAL:
            raise ImportRefused(_("The archive unpacks to more than it declares."))
    return read


def check_xlsx(path: Path) -> None:
    """An .xlsx is a zip of XML parts: archive limits, then no DOCTYPE in any part."""
    infos = inspect_zip(path)
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in infos:
                if info.is_dir():
                    continue
                with archive.open(info) as src:
                    total += _scan_xml(src, info.filename)
                if total > ZIP_MAX_TOTAL:
                    raise ImportRefused(_("The archive unpacks to more than it declares."))
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportRefused(_("The file is not a valid Excel workbook (.xlsx).")) from None


def _unzip_shapefile(path: Path, layer_name: str) -> Path:
    infos = inspect_zip(path)
    stems: dict[str, dict[str, str]] = {}
    for info in infos:
        if info.is_dir():
            continue
        member = Path(info.filename)
        if member.suffix.lower() in SHAPEFILE_PARTS and not member.name.startswith("."):
            stem = member.with_suffix("").as_posix()
            stems.setdefault(stem, {})[member.suffix.lower()] = info.filename
    layers = {stem: parts for stem, parts in stems.items() if ".shp" in parts}
    if not layers:
        raise ImportRefused(_("The zip archive contains no Shapefile (.shp)."))
    names = {Path(stem).name: stem for stem in layers}
    if layer_name:
        if layer_name not in names:
            raise ImportRefused(_("There is no layer “%(name)s” in the file; its layers are: %(names)s.")
                                % {"name": layer_name, "names": ", ".join(sorted(names))})
        stem = names[layer_name]
    elif len(layers) > 1:
        raise ImportRefused(_("The file has several layers (%(names)s): choose one.")
                            % {"names": ", ".join(sorted(names))})
    else:
        stem = next(iter(layers))
    parts = layers[stem]
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise ImportRefused(_("The Shapefile %(name)s lacks its %(parts)s file.")
                            % {"name": Path(stem).name, "parts": ", ".join(missing)})
    out_dir = path.parent / "shp"
    out_dir.mkdir()
    # Generated names only: nothing from the archive becomes a path on disk.
    extract_members(path, {member: out_dir / f"layer{ext}" for ext, member in parts.items()})
    return out_dir / "layer.shp"


def check_kml(path: Path) -> None:
    with open(path, "rb") as handle:
        _scan_xml(handle, "KML")


# --- Reading rows ---------------------------------------------------------------------
def read_features_file(path: Path, fmt: str, options: ImportOptions) -> Table:
    """The rows of a staged file, with geometries as WKB in EPSG:4326."""
    if fmt == "csv":
        return read_csv(path, options)
    if fmt == "shapefile":
        return read_spatial(_unzip_shapefile(path, options.layer_name), fmt, options, layer_chosen=True)
    if fmt == "kml":
        check_kml(path)
    return read_spatial(path, fmt, options)


def _native(value: Any) -> Any:
    """pandas/numpy cell values as plain Python (NaN/NaT -> None)."""
    import pandas as pd

    if value is None or isinstance(value, (str, bytes, bool, int)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _file_srid(frame, fmt: str, options: ImportOptions, notes: list[str]) -> int:
    if frame.crs is None:
        if fmt in ("geojson", "kml"):
            return crsmod.WGS84  # RFC 7946 and KML are always WGS 84 longitude/latitude
        if options.srid is None:
            raise ImportRefused(_("The file has no coordinate system: choose one (for example VN-2000 "
                                  "Hai Phong, EPSG:9210)."))
        return options.srid
    srid = frame.crs.to_epsg(min_confidence=70)
    if srid is None:
        if options.srid is None:
            raise ImportRefused(_("The file's coordinate system is not recognised as an EPSG code: "
                                  "choose the coordinate system."))
        notes.append(_("The file's coordinate system is not an EPSG code; EPSG:%(srid)s was used as "
                       "chosen.") % {"srid": options.srid})
        return options.srid
    if options.srid and options.srid != srid:
        notes.append(_("The file declares EPSG:%(file)s; the chosen EPSG:%(chosen)s was not used.")
                     % {"file": srid, "chosen": options.srid})
    return srid


def _to_wgs84(geoms, srid: int):
    import numpy as np
    import shapely

    if srid == crsmod.WGS84:
        return geoms
    try:
        transformer = crsmod.get_transformer(srid, crsmod.WGS84)
    except crsmod.CoordinateError as exc:
        raise ImportRefused(exc.message) from None

    def transform(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, transform)


def read_spatial(path: Path, fmt: str, options: ImportOptions, *, layer_chosen: bool = False) -> Table:
    """A GDAL-readable file (GeoJSON, Shapefile, GeoPackage, KML) through pyogrio."""
    import numpy as np
    import pyogrio
    import shapely

    try:
        listed = pyogrio.list_layers(path)
    except Exception:  # pyogrio raises its own error types for unreadable files
        logger.info("import: unreadable %s file", fmt, exc_info=True)
        raise ImportRefused(_("The file cannot be read as %(fmt)s.") % {"fmt": ", ".join(FORMATS[fmt])}) from None
    names = [str(row[0]) for row in listed]
    if not names:
        raise ImportRefused(_("The file contains no layer."))
    layer = names[0]
    if not layer_chosen and options.layer_name:
        if options.layer_name not in names:
            raise ImportRefused(_("There is no layer “%(name)s” in the file; its layers are: %(names)s.")
                                % {"name": options.layer_name, "names": ", ".join(names)})
        layer = options.layer_name
    elif not layer_chosen and len(names) > 1:
        raise ImportRefused(_("The file has several layers (%(names)s): choose one.")
                            % {"names": ", ".join(names)})
    try:
        info = pyogrio.read_info(path, layer=layer, force_feature_count=True)
        if info["features"] > MAX_ROWS:
            raise ImportRefused(_("The file has %(n)d rows; the limit is %(max)d.")
                                % {"n": info["features"], "max": MAX_ROWS})
        frame = pyogrio.read_dataframe(path, layer=layer, force_2d=True, on_invalid="ignore",
                                       max_features=MAX_ROWS + 1)
    except ImportRefused:
        raise
    except Exception:
        logger.info("import: unreadable %s layer", fmt, exc_info=True)
        raise ImportRefused(_("The file cannot be read as %(fmt)s.") % {"fmt": ", ".join(FORMATS[fmt])}) from None
    if len(frame) > MAX_ROWS:
        raise ImportRefused(_("The file has %(n)d rows; the limit is %(max)d.") % {"n": len(frame), "max": MAX_ROWS})
    notes: list[str] = []
    srid = _file_srid(frame, fmt, options, notes)
    geoms = np.asarray(frame.geometry.array, dtype=object)
    vertices = shapely.get_num_coordinates(geoms)
    # Oversized geometries are dropped before any further work on them.
    geoms = np.where(vertices <= MAX_VERTICES, geoms, None)
    transformed = _to_wgs84(geoms, srid)
    attributes = frame.drop(columns=frame.geometry.name)
    headers = [str(c) for c in attributes.columns]
    rows = []
    for index, (record, geom, count) in enumerate(
            zip(attributes.itertuples(index=False, name=None), transformed, vertices, strict=True), start=1):
        row = SourceRow(number=index, values={h: _native(v) for h, v in zip(headers, record, strict=True)},
                        vertices=int(count))
        if count > MAX_VERTICES:
            row.errors.append(_("The geometry has %(n)d vertices; the limit is %(max)d.")
                              % {"n": count, "max": MAX_VERTICES})
        elif geom is None:
            row.errors.append(_("No readable geometry."))
        else:
            row.wkb = shapely.to_wkb(geom)
        rows.append(row)
    return Table(headers=headers, rows=rows, source_srid=srid, notes=notes)


# --- CSV ------------------------------------------------------------------------------
def _find_column(headers: list[str], wanted: str | tuple[str, ...], *, option: str = "") -> str | None:
    keys = {column_key(h): h for h in headers}
    if isinstance(wanted, str):
        found = keys.get(column_key(wanted))
        if found is None:
            raise ImportRefused(_("There is no column “%(c)s” (%(option)s); the columns are: %(all)s.")
                                % {"c": wanted, "option": option, "all": ", ".join(headers)})
        return found
    return next((keys[k] for k in wanted if k in keys), None)


def _coordinate_columns(headers: list[str], options: ImportOptions) -> tuple[str, str, int]:
    srid = options.srid
    if srid is not None and srid not in crsmod.SUPPORTED_SRIDS:
        raise ImportRefused(_("Unsupported coordinate system: %(crs)s.") % {"crs": f"EPSG:{srid}"})
    if options.x_column or options.y_column:
        if not (options.x_column and options.y_column):
            raise ImportRefused(_("Give both coordinate columns (X and Y)."))
        x = _find_column(headers, options.x_column, option="X")
        y = _find_column(headers, options.y_column, option="Y")
        if srid is None:
            raise ImportRefused(_("Choose the coordinate system of the columns %(x)s and %(y)s.")
                                % {"x": x, "y": y})
        return x, y, srid
    if srid in (None, crsmod.WGS84):
        lon, lat = _find_column(headers, LON_COLUMNS), _find_column(headers, LAT_COLUMNS)
        if lon and lat:
            return lon, lat, crsmod.WGS84
    if srid not in (None, crsmod.WGS84):
        x, y = _find_column(headers, X_COLUMNS), _find_column(headers, Y_COLUMNS)
        if x and y:
            return x, y, srid
    raise ImportRefused(_("No coordinate columns found: name them lon/lat (WGS 84) or X/Y with the "
                          "coordinate system (in VN-2000, X is the northing and Y the easting), or choose "
                          "the columns."))


def _decode(data: bytes, notes: list[str]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(_("The file is not UTF-8; it was read as Windows-1258 (Vietnamese)."))
        return data.decode("cp1258", errors="replace")


def read_csv(path: Path, options: ImportOptions) -> Table:
    """A CSV with coordinate columns: lon/lat in WGS 84, or X/Y in a projected system
    (VN-2000: X = northing, Y = easting, the Vietnamese survey order)."""
    from shapely import Point, to_wkb

    notes: list[str] = []
    text = _decode(path.read_bytes(), notes)
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader, None)
        if not header or all(is_blank(h) for h in header):
            raise ImportRefused(_("The CSV file has no header row."))
        headers = [clean_text(h) or f"column_{i}" for i, h in enumerate(header, start=1)]
        x_col, y_col, srid = _coordinate_columns(headers, options)
        geographic = srid == crsmod.WGS84
        rows: list[SourceRow] = []
        for number, record in enumerate(reader, start=2):
            if all(is_blank(cell) for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRefused(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            values = {h: (record[i] if i < len(record) and not is_blank(record[i]) else None)
                      for i, h in enumerate(headers)}
            row = SourceRow(number=number, values=values)
            rows.append(row)
            raw_x, raw_y = values.get(x_col), values.get(y_col)
            if raw_x is None or raw_y is None:
                row.errors.append(_("No coordinates (columns %(x)s, %(y)s).") % {"x": x_col, "y": y_col})
                continue
            try:
                if geographic:
                    lon = crsmod.parse_dms(str(raw_x), axis="lon")
                    lat = crsmod.parse_dms(str(raw_y), axis="lat")
                    lon, lat = crsmod.to_wgs84(lon, lat, srid)
                else:
                    lon, lat = crsmod.projected_to_wgs84(
                        northing=crsmod.parse_metres(str(raw_x), field="northing"),
                        easting=crsmod.parse_metres(str(raw_y), field="easting"), srid=srid)
            except crsmod.CoordinateError as exc:
                column = {"northing": x_col, "lon": x_col, "easting": y_col, "lat": y_col}.get(exc.field or "")
                row.errors.append(_("column “%(column)s”: %(error)s") % {"column": column, "error": exc.message}
                                  if column else exc.message)
                continue
            row.wkb, row.vertices = to_wkb(Point(lon, lat)), 1
    except csv.Error as exc:
        raise ImportRefused(_("The CSV file cannot be read: %(e)s") % {"e": exc}) from None
    return Table(headers=headers, rows=rows, source_srid=srid, notes=notes, coordinate_columns=(x_col, y_col))
