"""Read and check the monitoring fixture files into the domain's dataclasses (no Django models).

Files, under settings.BASE_DIR / "fixtures" / "monitoring":
- units.json          units and their datalogger spellings (monitoring.domain.units.Unit)
- parameters.json     parameters per medium, canonical unit, molar mass, aliases (Parameter)
- aqi/<name>.json     a VN_AQI method version: breakpoints, categories (monitoring.domain.aqi.AqiTable)
- limit_sets/<name>.json   one regulation, one LimitSet per column (monitoring.domain.limits.LimitSet)

Every problem raises TableError naming the file and the JSON path ("columns[1].values[3].upper").
Numbers are read as Decimal (JSON floats never pass through binary floating point).
`fixture_files()` lists the files in a stable order, for geoportal.catalogues.services.files_digest.
"""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from monitoring.domain.aqi import AqiTable, BreakpointColumn, Category
from monitoring.domain.limits import CERTAINTIES, UNCONFIRMED, FactorBand, FactorTable, LimitSet, LimitValue
from monitoring.domain.units import MEDIA, Parameter, ParameterCatalogue, Unit, UnitCatalogue, UnitError

# monitoring.choices.Averaging (a test keeps the two equal).
AVERAGINGS = ("instant", "1h", "8h", "24h", "year")
AQI_AVERAGINGS = ("1h", "8h", "24h", "nowcast")
DEFAULT_AQI_TABLE = "vn_aqi_1459_2019"
LANGUAGES = ("vi", "en")
_HEX = re.compile(r"^#[0-9A-F]{6}$")


class TableError(ValueError):
    """A fixture file that is missing, not JSON, or not of the expected structure."""

    def __init__(self, file: Path | str, path: str, message: str) -> None:
        self.file, self.path, self.message = str(file), path, message
        super().__init__(f"{Path(file).name}: {path or '(top)'}: {message}")


def fixtures_dir() -> Path:
    """fixtures/monitoring under the project (settings are read at call time, never at import)."""
    from django.conf import settings

    return Path(settings.BASE_DIR) / "fixtures" / "monitoring"


def fixture_files(base: Path | None = None) -> list[Path]:
    """Every monitoring fixture file, in a stable order (for files_digest)."""
    root = base or fixtures_dir()
    return ([root / "units.json", root / "parameters.json"] + sorted((root / "aqi").glob("*.json"))
            + sorted((root / "limit_sets").glob("*.json")))


class _Doc:
    """One JSON file being read: typed accessors that raise TableError with the path."""

    def __init__(self, file: Path) -> None:
        self.file = file
        try:
            self.data = json.loads(file.read_text(encoding="utf-8"), parse_float=Decimal)
        except FileNotFoundError:
            raise TableError(file, "", "file not found") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise TableError(file, "", f"not valid JSON: {exc}") from None

    def fail(self, path: str, message: str) -> TableError:
        return TableError(self.file, path, message)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "must be an object")
        return value

    def items(self, value: Any, path: str, *, allow_empty: bool = True) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, "must be a list")
        if not value and not allow_empty:
            raise self.fail(path, "must not be empty")
        return value

    def key(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True, default: Any = None) -> Any:
        if key not in obj or obj[key] is None:
            if required:
                raise self.fail(_join(path, key), "is required")
            return default
        return obj[key]

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True, default: str = "") -> str:
        value = self.key(obj, key, path, required=required, default=default)
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(_join(path, key), "must be a non-empty string" if required else "must be a string")
        return value

    def texts(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> tuple[str, ...]:
        value = self.items(self.key(obj, key, path, required=required, default=[]), _join(path, key))
        for n, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{_join(path, key)}[{n}]", "must be a non-empty string")
        return tuple(value)

    def bilingual(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> dict[str, str]:
        value = self.key(obj, key, path, required=required, default=None)
        if value is None:
            return {}
        value = self.obj(value, _join(path, key))
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(_join(_join(path, key), lang), "must be a non-empty string")
        return dict(value)

    def number(self, value: Any, path: str) -> Decimal:
        if isinstance(value, bool):
            raise self.fail(path, "must be a number")
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, str):
            try:
                d = Decimal(value)
            except InvalidOperation:
                raise self.fail(path, f"not a number: {value!r}") from None
            if d.is_finite():
                return d
        raise self.fail(path, "must be a number")

    def opt_number(self, obj: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = obj.get(key)
        return None if value is None else self.number(value, _join(path, key))

    def date(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> date | None:
        value = self.key(obj, key, path, required=required)
        if value is None:
            return None
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise self.fail(_join(path, key), f"must be a date YYYY-MM-DD, not {value!r}")

    def choice(self, obj: dict[str, Any], key: str, path: str, choices: tuple[str, ...], *,
               default: str | None = None) -> str:
        value = self.key(obj, key, path, required=default is None, default=default)
        if value not in choices:
            raise self.fail(_join(path, key), f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def dates_in_order(self, start: date | None, end: date | None, path: str) -> None:
        if start is not None and end is not None and end < start:
            raise self.fail(path, f"effective_to {end} is before effective_from {start}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _read(name: str, base: Path | None) -> _Doc:
    return _Doc((base or fixtures_dir()) / name)


# --- units and parameters ----------------------------------------------------------------

def load_units(base: Path | None = None) -> UnitCatalogue:
    """units.json as a UnitCatalogue (spellings unique after normalisation)."""
    doc = _read("units.json", base)
    top = doc.obj(doc.data, "")
    units = []
    for n, raw in enumerate(doc.items(doc.key(top, "units", ""), "units", allow_empty=False)):
        path = f"units[{n}]"
        entry = doc.obj(raw, path)
        dimension = doc.text(entry, "dimension", path)
        factor = doc.number(doc.key(entry, "factor", path, required=False, default=1), _join(path, "factor"))
        if factor <= 0:
            raise doc.fail(_join(path, "factor"), "must be positive")
        basis = doc.key(entry, "basis", path, required=False)
        if dimension == "gas_mass_concentration" and basis not in ("normal", "unspecified"):
            raise doc.fail(_join(path, "basis"), "a gas concentration must say 'normal' (Nm³) or 'unspecified' (m³)")
        units.append(Unit(code=doc.text(entry, "code", path), name=doc.bilingual(entry, "name", path),
                          dimension=dimension, factor=factor,
                          offset=doc.number(entry.get("offset", 0), _join(path, "offset")),
                          basis=basis, aliases=doc.texts(entry, "aliases", path, required=False)))
    _unique([u.code for u in units], doc, "units", "code")
    try:
        return UnitCatalogue(tuple(units))
    except UnitError as exc:
        raise doc.fail("units", str(exc)) from None


def load_parameters(base: Path | None = None, *, units: UnitCatalogue | None = None) -> ParameterCatalogue:
    """parameters.json as a ParameterCatalogue; every unit must be in units.json."""
    catalogue = units or load_units(base)
    doc = _read("parameters.json", base)
    top = doc.obj(doc.data, "")
    params = []
    for n, raw in enumerate(doc.items(doc.key(top, "parameters", ""), "parameters", allow_empty=False)):
        path = f"parameters[{n}]"
        entry = doc.obj(raw, path)
        unit_text = doc.text(entry, "unit", path)
        try:
            unit = catalogue.get(unit_text)
        except UnitError as exc:
            raise doc.fail(_join(path, "unit"), str(exc)) from None
        if unit.code != unit_text:
            raise doc.fail(_join(path, "unit"), f"write the unit's code {unit.code!r}, not {unit_text!r}")
        molar = doc.opt_number(entry, "molar_mass", path)
        if molar is not None and molar <= 0:
            raise doc.fail(_join(path, "molar_mass"), "must be positive")
        params.append(Parameter(code=doc.text(entry, "code", path), name=doc.bilingual(entry, "name", path),
                                medium=doc.choice(entry, "medium", path, MEDIA), unit=unit.code, molar_mass=molar,
                                aliases=doc.texts(entry, "aliases", path, required=False),
                                aqi_code=doc.key(entry, "aqi_code", path, required=False)))
    try:
        return ParameterCatalogue(tuple(params))
    except UnitError as exc:
        raise doc.fail("parameters", str(exc)) from None


def _unique(values: list[str], doc: _Doc, path: str, what: str) -> None:
    seen: set[str] = set()
    for n, v in enumerate(values):
        if v in seen:
            raise doc.fail(f"{path}[{n}].{what}", f"{v!r} is repeated")
        seen.add(v)


# --- VN_AQI --------------------------------------------------------------------------------

def load_aqi_table(name: str = DEFAULT_AQI_TABLE, base: Path | None = None) -> AqiTable:
    """aqi/<name>.json as an AqiTable (breakpoints increasing, categories contiguous from 0)."""
    doc = _read(f"aqi/{name}.json", base)
    top = doc.obj(doc.data, "")
    levels_raw = doc.items(doc.key(top, "index_levels", ""), "index_levels", allow_empty=False)
    levels = [doc.number(v, f"index_levels[{n}]") for n, v in enumerate(levels_raw)]
    _increasing(levels, doc, "index_levels")
    parameters = doc.texts(top, "parameters", "")
    columns = []
    for n, raw in enumerate(doc.items(doc.key(top, "columns", ""), "columns", allow_empty=False)):
        columns.append(_aqi_column(doc, doc.obj(raw, f"columns[{n}]"), f"columns[{n}]", levels, parameters))
    for p in parameters:
        if not any(c.parameter == p for c in columns):
            raise doc.fail("columns", f"no breakpoints for {p}")
    for key in ("required_any", "nowcast_parameters"):
        for p in doc.texts(top, key, ""):
            if p not in parameters:
                raise doc.fail(key, f"{p!r} is not one of the parameters")
    categories = _aqi_categories(doc, top, levels[-1])
    effective_from = doc.date(top, "effective_from", "")
    effective_to = doc.date(top, "effective_to", "", required=False)
    doc.dates_in_order(effective_from, effective_to, "effective_to")
    return AqiTable(code=doc.text(top, "code", ""), version=doc.text(top, "version", ""),
                    title=doc.bilingual(top, "title", ""), legal_basis=doc.text(top, "legal_basis", ""),
                    replaces=doc.text(top, "replaces", "", required=False),
                    effective_from=effective_from, effective_to=effective_to,  # type: ignore[arg-type]
                    source=doc.text(top, "source", ""), certainty=doc.choice(top, "certainty", "", CERTAINTIES),
                    unit=doc.text(top, "unit", ""), parameters=parameters,
                    required_any=doc.texts(top, "required_any", ""),
                    nowcast_parameters=doc.texts(top, "nowcast_parameters", ""),
                    columns=tuple(columns), categories=categories)


def _increasing(values: list[Decimal], doc: _Doc, path: str) -> None:
    for n in range(1, len(values)):
        if values[n] <= values[n - 1]:
            raise doc.fail(f"{path}[{n}]", f"must be greater than {values[n - 1]}")


def _aqi_column(doc: _Doc, entry: dict[str, Any], path: str, levels: list[Decimal],
                parameters: tuple[str, ...]) -> BreakpointColumn:
    parameter = doc.text(entry, "parameter", path)
    if parameter not in parameters:
        raise doc.fail(_join(path, "parameter"), f"{parameter!r} is not one of the parameters")
    averaging = doc.texts(entry, "averaging", path)
    for n, avg in enumerate(averaging):
        if avg not in AQI_AVERAGINGS:
            raise doc.fail(f"{_join(path, 'averaging')}[{n}]", f"must be one of {', '.join(AQI_AVERAGINGS)}")
    bps_path = _join(path, "breakpoints")
    raw = doc.items(doc.key(entry, "breakpoints", path), bps_path)
    if len(raw) != len(levels):
        raise doc.fail(bps_path, f"needs {len(levels)} values (one per index level; null for none)")
    # A column may stop early (O3 8 h has no BP7, BP8): only trailing nulls.
    count = next((n for n, v in enumerate(raw) if v is None), len(raw))
    if any(v is not None for v in raw[count:]):
        raise doc.fail(bps_path, "only the last breakpoints may be null")
    if count < 2:
        raise doc.fail(bps_path, "needs at least two breakpoints")
    bps = [doc.number(v, f"{bps_path}[{n}]") for n, v in enumerate(raw[:count])]
    if bps[0] != 0:
        raise doc.fail(f"{bps_path}[0]", "the first breakpoint must be 0")
    _increasing(bps, doc, bps_path)
    open_ended = doc.key(entry, "open_ended", path)
    if not isinstance(open_ended, bool):
        raise doc.fail(_join(path, "open_ended"), "must be true or false")
    return BreakpointColumn(parameter, averaging, tuple(zip(bps, levels[:count], strict=True)), open_ended)


def _aqi_categories(doc: _Doc, top: dict[str, Any], top_level: Decimal) -> tuple[Category, ...]:
    categories = []
    expected_low = 0
    for n, raw in enumerate(doc.items(doc.key(top, "categories", ""), "categories", allow_empty=False)):
        path = f"categories[{n}]"
        entry = doc.obj(raw, path)
        low, high = entry.get("low"), entry.get("high")
        if not isinstance(low, int) or not isinstance(high, int) or isinstance(low, bool) or high < low:
            raise doc.fail(path, "low and high must be integers with low ≤ high")
        if low != expected_low:
            raise doc.fail(_join(path, "low"), f"must be {expected_low} (bands are contiguous)")
        expected_low = high + 1
        hex_code = doc.text(entry, "hex", path)
        if not _HEX.match(hex_code):
            raise doc.fail(_join(path, "hex"), "must be #RRGGBB in capitals")
        rgb = doc.items(doc.key(entry, "rgb", path), _join(path, "rgb"))
        if len(rgb) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in rgb):
            raise doc.fail(_join(path, "rgb"), "must be three integers 0–255")
        if tuple(int(hex_code[i:i + 2], 16) for i in (1, 3, 5)) != tuple(rgb):
            raise doc.fail(_join(path, "hex"), f"{hex_code} is not RGB {rgb}")
        categories.append(Category(key=doc.text(entry, "key", path), low=low, high=high,
                                   label=doc.bilingual(entry, "label", path),
                                   colour=doc.bilingual(entry, "colour", path), hex=hex_code,
                                   rgb=(rgb[0], rgb[1], rgb[2]),
                                   health=doc.bilingual(entry, "health", path, required=False),
                                   advice_general=doc.bilingual(entry, "advice_general", path, required=False),
                                   advice_sensitive=doc.bilingual(entry, "advice_sensitive", path, required=False)))
    if categories[-1].high != top_level:
        raise doc.fail("categories", f"the last band must end at {top_level}")
    return tuple(categories)


# --- limit sets ---------------------------------------------------------------------------

def load_limit_sets(base: Path | None = None, *, parameters: ParameterCatalogue | None = None,
                    units: UnitCatalogue | None = None) -> dict[str, LimitSet]:
    """Every limit_sets/*.json as LimitSets keyed "<file>_<column>" ("qcvn_40_2011_b"; no suffix without column)."""
    unit_catalogue = units or load_units(base)
    catalogue = parameters or load_parameters(base, units=unit_catalogue)
    root = base or fixtures_dir()
    sets: dict[str, LimitSet] = {}
    files = sorted((root / "limit_sets").glob("*.json"))
    if not files:
        raise TableError(root / "limit_sets", "", "no limit set files")
    for file in files:
        for limit_set in _limit_file(_Doc(file), file.stem, catalogue, unit_catalogue):
            sets[limit_set.key] = limit_set
    return sets


def _limit_file(doc: _Doc, stem: str, catalogue: ParameterCatalogue, units: UnitCatalogue) -> list[LimitSet]:
    top = doc.obj(doc.data, "")
    code = doc.text(top, "code", "")
    medium = doc.choice(top, "medium", "", MEDIA)
    certainty = doc.choice(top, "certainty", "", CERTAINTIES)
    effective_from = doc.date(top, "effective_from", "")
    effective_to = doc.date(top, "effective_to", "", required=False)
    doc.dates_in_order(effective_from, effective_to, "effective_to")
    factors_raw = top.get("factors")
    formula, tables, not_multiplied = "", {}, None
    if factors_raw is not None:
        formula, tables, not_multiplied = _factors(doc, doc.obj(factors_raw, "factors"), catalogue, medium, units)
    common = dict(code=code, title=doc.bilingual(top, "title", ""), medium=medium,
                  legal_basis=doc.text(top, "legal_basis", ""), source=doc.text(top, "source", ""),
                  certainty=certainty, note=doc.bilingual(top, "note", "", required=False),
                  replaces=doc.texts(top, "replaces", "", required=False),
                  superseded_by=doc.text(top, "superseded_by", "", required=False),
                  formula=formula, factor_tables=tables, factors_data=_plain(factors_raw or {}), file=doc.file.name)
    result = []
    columns = doc.items(doc.key(top, "columns", ""), "columns", allow_empty=False)
    seen_columns: set[str] = set()
    for n, raw in enumerate(columns):
        path = f"columns[{n}]"
        entry = doc.obj(raw, path)
        column = doc.text(entry, "column", path, required=False)
        if column in seen_columns:
            raise doc.fail(_join(path, "column"), f"column {column!r} is repeated")
        seen_columns.add(column)
        column_to = doc.date(entry, "effective_to", path, required=False)
        doc.dates_in_order(effective_from, column_to, _join(path, "effective_to"))
        label = f"{code} {column}".strip()
        values = _limit_values(doc, entry, path, label=label, medium=medium, catalogue=catalogue, units=units,
                               effective_from=effective_from, column_to=column_to,  # type: ignore[arg-type]
                               not_multiplied=not_multiplied)
        if not values and certainty != UNCONFIRMED:
            raise doc.fail(_join(path, "values"), "only an unconfirmed set may have no values")
        key = f"{stem}_{column.lower()}" if column else stem
        result.append(LimitSet(key=key, column=column, column_title=doc.bilingual(entry, "title", path),
                               effective_from=effective_from, effective_to=effective_to,  # type: ignore[arg-type]
                               values=values, **common))  # type: ignore[arg-type]
    return result


def _plain(value: Any) -> Any:
    """JSON-serialisable copy (Decimal -> int or float) of a block to store in a JSONField."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _factors(doc: _Doc, raw: dict[str, Any], catalogue: ParameterCatalogue, medium: str,
             units: UnitCatalogue) -> tuple[str, dict[str, FactorTable], frozenset[str]]:
    formula = doc.text(raw, "formula", "factors")
    doc.choice(raw, "certainty", "factors", CERTAINTIES)
    not_multiplied = doc.texts(raw, "not_multiplied", "factors", required=False)
    for n, code in enumerate(not_multiplied):
        _parameter(doc, code, f"factors.not_multiplied[{n}]", catalogue, medium)
    tables: dict[str, FactorTable] = {}
    for key, table_raw in doc.obj(doc.key(raw, "tables", "factors"), "factors.tables").items():
        path = f"factors.tables.{key}"
        entry = doc.obj(table_raw, path)
        unit = doc.key(entry, "unit", path, required=False)
        if unit is not None:
            try:
                unit = units.get(unit).code
            except UnitError as exc:
                raise doc.fail(_join(path, "unit"), str(exc)) from None
        bands: list[FactorBand] = []
        for n, band_raw in enumerate(doc.items(entry.get("bands", []), _join(path, "bands"))):
            bpath = f"{path}.bands[{n}]"
            band = doc.obj(band_raw, bpath)
            upto = doc.opt_number(band, "upto", bpath)
            if bands and (bands[-1].upto is None or (upto is not None and upto <= bands[-1].upto)):
                raise doc.fail(_join(bpath, "upto"), "bands must increase and only the last may be open")
            bands.append(FactorBand(upto, doc.number(doc.key(band, "value", bpath), _join(bpath, "value"))))
        by_key = {str(k): doc.number(v, f"{path}.by_key.{k}")
                  for k, v in doc.obj(entry.get("by_key", {}), _join(path, "by_key")).items()}
        if bool(bands) == bool(by_key):
            raise doc.fail(path, "needs either bands or by_key")
        if bands and bands[-1].upto is not None:
            raise doc.fail(_join(path, "bands"), "the last band must be open (upto null)")
        if any(v <= 0 for v in (*by_key.values(), *(b.value for b in bands))):
            raise doc.fail(path, "factors must be positive")
        tables[key] = FactorTable(key=key, basis=doc.bilingual(entry, "basis", path), unit=unit,
                                  certainty=doc.choice(entry, "certainty", path, CERTAINTIES), bands=tuple(bands),
                                  by_key=by_key, note=doc.text(entry, "note", path, required=False))
    return formula, tables, frozenset(not_multiplied)


def _parameter(doc: _Doc, code: Any, path: str, catalogue: ParameterCatalogue, medium: str) -> Parameter:
    try:
        parameter = catalogue.get(code)
    except (KeyError, TypeError):
        raise doc.fail(path, f"unknown parameter {code!r}") from None
    if parameter.medium != medium:
        raise doc.fail(path, f"{code} is a {parameter.medium} parameter, the set is {medium}")
    return parameter


def _limit_values(doc: _Doc, entry: dict[str, Any], path: str, *, label: str, medium: str,
                  catalogue: ParameterCatalogue, units: UnitCatalogue, effective_from: date, column_to: date | None,
                  not_multiplied: frozenset[str] | None) -> tuple[LimitValue, ...]:
    defaults = doc.obj(entry.get("defaults", {}), _join(path, "defaults"))
    values: list[LimitValue] = []
    for n, raw in enumerate(doc.items(doc.key(entry, "values", path), _join(path, "values"))):
        vpath = f"{path}.values[{n}]"
        item = {**defaults, **doc.obj(raw, vpath)}
        parameter = _parameter(doc, doc.text(item, "parameter", vpath), _join(vpath, "parameter"), catalogue, medium)
        lower, upper = doc.opt_number(item, "lower", vpath), doc.opt_number(item, "upper", vpath)
        if lower is None and upper is None:
            raise doc.fail(vpath, "needs a lower or an upper bound")
        if lower is not None and upper is not None and lower > upper:
            raise doc.fail(vpath, f"lower {lower} is above upper {upper}")
        unit = _unit(doc, doc.text(item, "unit", vpath), _join(vpath, "unit"), units, parameter)
        start = doc.date(item, "effective_from", vpath, required=False) or effective_from
        end = doc.date(item, "effective_to", vpath, required=False) or column_to
        doc.dates_in_order(start, end, vpath)
        if start < effective_from:
            raise doc.fail(_join(vpath, "effective_from"), f"before the regulation's {effective_from}")
        values.append(LimitValue(
            parameter=parameter.code, averaging=doc.choice(item, "averaging", vpath, AVERAGINGS),
            lower=lower, upper=upper, unit=unit, effective_from=start, effective_to=end,
            multiplied=not_multiplied is not None and parameter.code not in not_multiplied,
            certainty=doc.choice(item, "certainty", vpath, CERTAINTIES), regulation=label,
            clause=doc.text(item, "clause", vpath, required=False), note=doc.text(item, "note", vpath, required=False)))
    _no_overlap(values, doc, path)
    return tuple(values)


def _unit(doc: _Doc, text: str, path: str, units: UnitCatalogue, parameter: Parameter) -> str:
    try:
        unit = units.get(text)
    except UnitError as exc:
        raise doc.fail(path, str(exc)) from None
    if unit.code != text:
        raise doc.fail(path, f"write the unit's code {unit.code!r}, not {text!r}")
    if unit.dimension != units.get(parameter.unit).dimension:
        raise doc.fail(path, f"{text} does not measure {parameter.code} (canonical unit {parameter.unit})")
    return unit.code


def _no_overlap(values: list[LimitValue], doc: _Doc, path: str) -> None:
    by_key: dict[tuple[str, str], list[LimitValue]] = {}
    for v in values:
        by_key.setdefault((v.parameter, v.averaging), []).append(v)
    for (parameter, averaging), group in by_key.items():
        group.sort(key=lambda v: v.effective_from or date.min)
        for a, b in zip(group, group[1:], strict=False):
            if a.effective_to is None or a.effective_to >= (b.effective_from or date.min):
                raise doc.fail(_join(path, "values"), f"{parameter} {averaging}: two values in force at once")

