"""Measurement units and parameters as dataloggers write them, and unit conversion.

The catalogue is data (fixtures/monitoring/units.json and parameters.json, read by
monitoring.domain.tables). A unit belongs to a dimension and has a linear map to the
dimension's base unit (base = value × factor + offset; only temperatures have an offset).

- Within a dimension: mg/Nm³ ↔ µg/Nm³, mg/L ↔ µg/L, m³/day ↔ m³/h, °C ↔ K, ...
- Mixing ratio ↔ mass concentration (ppm/ppb ↔ µg/m³, mg/Nm³): needs the gas's molar mass,
  at 1 atm and `temperature_c` with a molar volume of 24.45 L/mol at 25 °C (the value the
  QCVN and US EPA conversions use), scaled by (273.15 + T) / 298.15 at other temperatures.
- Nm³ is a volume at 25 °C and 760 mmHg (QCVN 05:2023 §1.3.10 [C]; the same convention in
  QCVN 19:2009 [U]), so a conversion to or from a "N" unit always uses 25 °C: passing
  another temperature is an error rather than a silently ignored argument.
- m³ (no "N") is a volume at unknown conditions. mg/m³ ↔ mg/Nm³ needs the gas temperature
  and pressure at the analyser (and, for stacks, the O2 reference), so it is refused unless
  the caller states that the instrument already reports at reference conditions
  (`reference_conditions=True`): true of ambient analysers, which the VN_AQI breakpoints
  (µg/m³) and the QCVN 05:2023 limits (µg/Nm³) both assume [U].

Spellings are matched after Unicode NFKC, case folding, removing spaces and "^", and
writing the micro sign as "u": "µg/m³", "μg/m3" (Greek mu), "ug/m^3" and "UG/M3" are one unit.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

# Molar volume of an ideal gas at 25 °C and 1 atm (L/mol), as used for ppm ↔ µg/m³.
MOLAR_VOLUME_25C = Decimal("24.45")
REFERENCE_TEMPERATURE_C = Decimal("25")
ZERO_CELSIUS_K = Decimal("273.15")
MIXING_RATIO = "mixing_ratio"
GAS_MASS_CONCENTRATION = "gas_mass_concentration"
NORMAL = "normal"            # volume at 25 °C, 760 mmHg (Nm³)
UNSPECIFIED = "unspecified"  # volume at the conditions of measurement (m³)
MEDIA = ("ambient_air", "water", "wastewater", "emission")


class UnitError(ValueError):
    """A unit is unknown, or two units cannot be converted into each other."""


def normalise_unit_text(text: str) -> str:
    """The form unit spellings are compared in ("µg/Nm³" -> "ug/nm3")."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    # NFKC turns the micro sign U+00B5 into Greek mu U+03BC; both are written "u".
    return s.replace("μ", "u").replace("^", "").replace(" ", "").replace("\u00a0", "")


def normalise_parameter_text(text: str) -> str:
    """The form parameter names are compared in ("PM-2.5", "PM2,5", "pm 25" -> "pm25")."""
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    # Dataloggers differ in separators only; "+" stays (NH4+), so does everything else.
    return "".join(ch for ch in s if not ch.isspace() and ch not in "-_.,")


@dataclass(frozen=True)
class Unit:
    """A measurement unit with its map to the base unit of its dimension."""

    code: str                      # the symbol as displayed and stored: "µg/Nm³"
    name: Mapping[str, str]        # {"vi": ..., "en": ...}
    dimension: str
    factor: Decimal = Decimal(1)   # base = value × factor + offset
    offset: Decimal = Decimal(0)
    basis: str | None = None       # gas volumes: "normal" (Nm³) or "unspecified" (m³)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitCatalogue:
    """The units of fixtures/monitoring/units.json, found by code or by any alias."""

    units: tuple[Unit, ...]
    _index: Mapping[str, Unit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Unit] = {}
        for unit in self.units:
            for spelling in (unit.code, *unit.aliases):
                key = normalise_unit_text(spelling)
                other = index.get(key)
                if other is not None and other.code != unit.code:
                    raise UnitError(f"spelling {spelling!r} is used by {other.code!r} and {unit.code!r}")
                index[key] = unit
        object.__setattr__(self, "_index", index)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def get(self, text: str) -> Unit:
        """The unit written `text` (code or alias); raises UnitError when unknown."""
        unit = self._index.get(normalise_unit_text(text))
        if unit is None:
            raise UnitError(f"unknown unit {text!r}")
        return unit

    def code_of(self, text: str) -> str:
        """The canonical code of a unit spelling ("ug/m3" -> "µg/m³")."""
        return self.get(text).code


@dataclass(frozen=True)
class Parameter:
    """A measured parameter of one medium, with its canonical unit and datalogger spellings."""

    code: str                      # unique: "PM2.5", "COD_WW", "SO2_EM"
    name: Mapping[str, str]
    medium: str                    # ambient_air, water, wastewater, emission
    unit: str                      # canonical unit code
    molar_mass: Decimal | None = None   # g/mol, gases only (ppm ↔ µg/m³)
    aliases: tuple[str, ...] = ()
    aqi_code: str | None = None    # SO2, CO, NO2, O3, PM10, PM2.5 (Decision 1459/QĐ-TCMT)


@dataclass(frozen=True)
class ParameterCatalogue:
    """The parameters of fixtures/monitoring/parameters.json, found by code or by alias within a medium."""

    parameters: tuple[Parameter, ...]
    _codes: Mapping[str, Parameter] = field(init=False, repr=False, compare=False)
    _aliases: Mapping[tuple[str, str], Parameter] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes: dict[str, Parameter] = {}
        aliases: dict[tuple[str, str], Parameter] = {}
        for p in self.parameters:
            if p.code in codes:
                raise UnitError(f"parameter code {p.code!r} is repeated")
            codes[p.code] = p
            for spelling in (p.code, *p.aliases):
                key = (p.medium, normalise_parameter_text(spelling))
                other = aliases.get(key)
                if other is not None and other.code != p.code:
                    raise UnitError(f"{p.medium}: name {spelling!r} is used by {other.code!r} and {p.code!r}")
                aliases[key] = p
        object.__setattr__(self, "_codes", codes)
        object.__setattr__(self, "_aliases", aliases)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    def get(self, code: str) -> Parameter:
        """The parameter with this exact code; raises KeyError."""
        return self._codes[code]

    def resolve(self, name: str, *, medium: str) -> Parameter | None:
        """The parameter a datalogger means by `name` at a station of `medium`, or None."""
        return self._aliases.get((medium, normalise_parameter_text(name)))

    def for_medium(self, medium: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.medium == medium)


@cache
def _default_units() -> UnitCatalogue:
    from monitoring.domain.tables import load_units

    return load_units()


def _decimal(value: float | int | Decimal | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # repr() of a float is the shortest text that reads back to it: 118.7 stays 118.7.
        return Decimal(repr(value))
    return Decimal(value)


def _molar_volume(temperature_c: Decimal) -> Decimal:
    # Ideal gas at 1 atm: V ∝ absolute temperature.
    return MOLAR_VOLUME_25C * (ZERO_CELSIUS_K + temperature_c) / (ZERO_CELSIUS_K + REFERENCE_TEMPERATURE_C)


def convert(value: float | int | Decimal, from_unit: str, to_unit: str, *, molar_mass: float | Decimal | None = None,
            temperature_c: float | Decimal = 25, reference_conditions: bool = False,
            units: UnitCatalogue | None = None) -> float:
    """`value` in `from_unit` expressed in `to_unit`; raises UnitError when they do not convert.

    :param molar_mass: g/mol, required between a mixing ratio (ppm, ppb) and a mass concentration.
    :param temperature_c: gas temperature for a mixing ratio ↔ mass per m³ (1 atm); must be 25 for Nm³.
    :param reference_conditions: the m³ side is already at 25 °C, 760 mmHg (ambient analysers), so m³ = Nm³.
    :param units: the unit catalogue; the fixtures' by default.
    """
    catalogue = units if units is not None else _default_units()
    src, dst = catalogue.get(from_unit), catalogue.get(to_unit)
    v = _decimal(value)
    if src.code == dst.code:
        return float(v)
    temperature = _decimal(temperature_c)
    if src.dimension == dst.dimension:
        if src.basis != dst.basis and not reference_conditions:
            raise UnitError(f"{src.code} -> {dst.code}: m³ at measurement conditions and Nm³ differ by the gas "
                            "temperature and pressure (pass reference_conditions=True if the analyser reports at "
                            "25 °C, 760 mmHg)")
        return float(((v * src.factor + src.offset) - dst.offset) / dst.factor)
    dims = {src.dimension, dst.dimension}
    if dims != {MIXING_RATIO, GAS_MASS_CONCENTRATION}:
        raise UnitError(f"{src.code} ({src.dimension}) cannot be converted to {dst.code} ({dst.dimension})")
    if molar_mass is None:
        raise UnitError(f"{src.code} -> {dst.code} needs the molar mass of the gas")
    mass = _decimal(molar_mass)
    if mass <= 0:
        raise UnitError(f"molar mass must be positive, not {molar_mass}")
    concentration_unit = dst if dst.dimension == GAS_MASS_CONCENTRATION else src
    if concentration_unit.basis == NORMAL and temperature != REFERENCE_TEMPERATURE_C:
        raise UnitError(f"{concentration_unit.code} is defined at 25 °C; temperature_c={temperature_c} contradicts it")
    # Base units: ppm and mg/m³. 1 ppm = M / Vm mg/m³ (M in g/mol, Vm in L/mol).
    ppm_to_mg_m3 = mass / _molar_volume(temperature)
    base = v * src.factor
    if src.dimension == MIXING_RATIO:
        return float(base * ppm_to_mg_m3 / dst.factor)
    return float(base / ppm_to_mg_m3 / dst.factor)


def unit_code(text: str, *, units: UnitCatalogue | None = None) -> str:
    """The canonical code of a unit as written ("ug/m3" -> "µg/m³"); raises UnitError when unknown."""
    return (units if units is not None else _default_units()).code_of(text)


def same_unit(a: str, b: str, *, units: UnitCatalogue | None = None) -> bool:
    """True when two spellings name the same unit."""
    catalogue = units if units is not None else _default_units()
    return catalogue.get(a).code == catalogue.get(b).code

