"""Unit conversion, unit spellings and parameter names as dataloggers write them (no database)."""
from decimal import Decimal as D

import pytest

from monitoring.domain.tables import load_parameters, load_units
from monitoring.domain.units import UnitError, convert, same_unit, unit_code


@pytest.fixture(scope="module")
def parameters():
    return load_parameters()


@pytest.mark.parametrize(("value", "src", "dst", "expected"), [
    (1, "mg/Nm³", "µg/Nm³", 1000),
    (250, "µg/Nm³", "mg/Nm³", 0.25),
    (D("0.005"), "mg/L", "µg/L", 5),
    (40, "µg/L", "mg/L", 0.04),
    (12.5, "mg/m³", "µg/m³", 12500),
    (240, "m³/day", "m³/h", 10),
    (10, "m³/h", "m³/day", 240),
    (1, "L/s", "m³/h", 3.6),
    (25, "°C", "K", 298.15),
    (273.15, "K", "°C", 0),
    (760, "mmHg", "kPa", 101.325),
    (1, "mS/cm", "µS/cm", 1000),
    (1, "ppm", "ppb", 1000),
    (42, "mg/L", "mg/L", 42),
])
def test_convert_within_a_dimension(value, src, dst, expected):
    """Linear conversions between units of one dimension."""
    assert convert(value, src, dst) == pytest.approx(expected, rel=1e-9)


# ppm ↔ µg/m³ at 25 °C and 1 atm: 1 ppm = M / 24.45 mg/m³, computed here independently.
GASES = [("SO2", 64.066), ("NO2", 46.0055), ("CO", 28.010), ("O3", 47.998), ("NH3", 17.031), ("H2S", 34.08)]


@pytest.mark.parametrize(("gas", "molar_mass"), GASES)
def test_molar_masses_in_the_catalogue(parameters, gas, molar_mass):
    """parameters.json carries the molar masses of the gases (g/mol)."""
    assert parameters.get(gas).molar_mass == D(str(molar_mass))


@pytest.mark.parametrize(("gas", "molar_mass"), GASES)
def test_ppm_and_ppb_to_mass_concentration_at_25c(gas, molar_mass):
    """1 ppm = M/24.45 mg/m³; 1 ppb = M/24.45 µg/m³; and back."""
    assert convert(1, "ppm", "mg/m³", molar_mass=molar_mass) == pytest.approx(molar_mass / 24.45)
    assert convert(1, "ppb", "µg/m³", molar_mass=molar_mass) == pytest.approx(molar_mass / 24.45)
    assert convert(1, "ppm", "µg/Nm³", molar_mass=molar_mass) == pytest.approx(1000 * molar_mass / 24.45)
    assert convert(molar_mass / 24.45, "mg/Nm³", "ppm", molar_mass=molar_mass) == pytest.approx(1)


def test_worked_values():
    """SO2 0.134 ppm (QCVN 05 1 h 350 µg/Nm³ ≈ 0.1336 ppm); NO2 100 ppb = 188.2 µg/m³."""
    assert convert(350, "µg/Nm³", "ppm", molar_mass=64.066) == pytest.approx(0.13357, abs=1e-5)
    assert convert(100, "ppb", "µg/m³", molar_mass=46.0055) == pytest.approx(188.16, abs=0.01)


def test_ppm_at_another_temperature():
    """At 0 °C the molar volume is 24.45 × 273.15 / 298.15 = 22.40 L/mol, so 1 ppm SO2 is 2.860 mg/m³."""
    assert convert(1, "ppm", "mg/m³", molar_mass=64.066, temperature_c=0) == pytest.approx(
        64.066 / (24.45 * 273.15 / 298.15))
    assert convert(1, "ppm", "mg/m³", molar_mass=64.066, temperature_c=0) == pytest.approx(2.860, abs=1e-3)


@pytest.mark.parametrize(("src", "dst", "kwargs"), [
    ("mg/L", "µg/m³", {}),                          # liquid vs gas
    ("ppm", "mg/L", {"molar_mass": 64.066}),        # a mixing ratio is not a liquid concentration
    ("ppm", "µg/m³", {}),                           # molar mass missing
    ("ppm", "µg/m³", {"molar_mass": 0}),
    ("ppm", "µg/Nm³", {"molar_mass": 64.066, "temperature_c": 20}),   # Nm³ is defined at 25 °C
    ("mg/m³", "mg/Nm³", {}),                        # actual vs normal volume: needs T and p
    ("°C", "mg/L", {}),
    ("m³/h", "Nm³/h", {}),
    ("furlongs", "mg/L", {}),                       # unknown unit
])
def test_incompatible_units_raise(src, dst, kwargs):
    """UnitError for units that do not convert, or lack what the conversion needs."""
    with pytest.raises(UnitError):
        convert(1, src, dst, **kwargs)


def test_m3_to_nm3_only_at_reference_conditions():
    """An ambient analyser reporting at 25 °C, 760 mmHg: µg/m³ and µg/Nm³ are the same number."""
    assert convert(55.7, "µg/m³", "µg/Nm³", reference_conditions=True) == pytest.approx(55.7)
    assert convert(1, "mg/m³", "µg/Nm³", reference_conditions=True) == pytest.approx(1000)


@pytest.mark.parametrize(("text", "code"), [
    ("ug/m3", "µg/m³"), ("µg/m³", "µg/m³"), ("μg/m³", "µg/m³"), ("UG/M3", "µg/m³"), ("ug/m^3", "µg/m³"),
    ("μg/Nm3", "µg/Nm³"), ("ug/Nm3", "µg/Nm³"), ("µg/Nm³", "µg/Nm³"),
    ("mg/Nm3", "mg/Nm³"), ("mg/l", "mg/L"), ("MG/L", "mg/L"), ("ug/l", "µg/L"),
    ("oC", "°C"), ("degC", "°C"), ("m3/h", "m³/h"), ("m3/ngày đêm", "m³/day"), ("m3/d", "m³/day"),
    ("Pt/Co", "Pt-Co"), ("MPN/100ml", "MPN/100 mL"), ("%vol", "%"), ("ppmv", "ppm"),
])
def test_unit_spellings(text, code):
    """Datalogger spellings, micro sign or Greek mu, superscripts or not, any case."""
    assert unit_code(text) == code


def test_same_unit():
    """Two spellings of one unit compare equal; different units do not."""
    assert same_unit("ug/m3", "µg/m³")
    assert not same_unit("ug/m3", "ug/Nm3")


@pytest.mark.parametrize(("name", "medium", "code"), [
    ("PM2.5", "ambient_air", "PM2.5"), ("PM25", "ambient_air", "PM2.5"), ("PM-2.5", "ambient_air", "PM2.5"),
    ("pm 2,5", "ambient_air", "PM2.5"), ("PM10", "ambient_air", "PM10"), ("NOx", "ambient_air", "NOX"),
    ("SO2", "ambient_air", "SO2"), ("SO2", "emission", "SO2_EM"),
    ("NOx", "emission", "NOX_EM"), ("NOX", "emission", "NOX_EM"),
    ("TSS", "wastewater", "TSS_WW"), ("SS", "wastewater", "TSS_WW"),
    ("Temp", "wastewater", "TEMP_WW"), ("Temp", "emission", "TEMP_EM"), ("Temp", "ambient_air", "TEMP"),
    ("Flow", "wastewater", "FLOW_WW"), ("Lưu lượng", "wastewater", "FLOW_WW"), ("Flow", "emission", "FLOW_EM"),
    ("pH", "wastewater", "PH_WW"), ("NH4+", "wastewater", "NH4_WW"), ("N-NH4", "wastewater", "NH4_WW"),
    ("COD", "water", "COD_W"), ("Bụi", "emission", "DUST_EM"),
])
def test_parameter_names_as_dataloggers_write_them(parameters, name, medium, code):
    """Aliases resolve within the station's medium."""
    assert parameters.resolve(name, medium=medium).code == code


@pytest.mark.parametrize(("name", "medium"), [("COD", "ambient_air"), ("PM2.5", "wastewater"), ("XYZ", "emission")])
def test_unknown_parameter_names(parameters, name, medium):
    """A name that is not a parameter of the medium resolves to None."""
    assert parameters.resolve(name, medium=medium) is None


def test_aqi_parameters_and_canonical_units(parameters):
    """The six VN_AQI parameters are ambient parameters in µg/Nm³ with their AQI code."""
    aqi = {p.aqi_code: p for p in parameters if p.aqi_code}
    assert set(aqi) == {"SO2", "CO", "NO2", "O3", "PM10", "PM2.5"}
    assert {(p.medium, p.unit) for p in aqi.values()} == {("ambient_air", "µg/Nm³")}
    units = load_units()
    for p in parameters:
        assert units.get(p.unit).code == p.unit
