"""Reading and checking the monitoring fixture files (no database)."""
import json
import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings

from geoportal.catalogues.services import files_digest
from monitoring.domain.tables import (
    TableError,
    fixture_files,
    fixtures_dir,
    load_aqi_table,
    load_limit_sets,
    load_parameters,
    load_units,
)


def test_fixture_files_are_listed_in_a_stable_order():
    """units, parameters, the AQI tables, then the limit sets: all exist, and the digest is stable."""
    files = fixture_files()
    assert fixtures_dir() == Path(settings.BASE_DIR) / "fixtures" / "monitoring"
    names = [f.relative_to(fixtures_dir()).as_posix() for f in files]
    assert names == ["units.json", "parameters.json", "aqi/vn_aqi_1459_2019.json",
                     "limit_sets/qcvn_05_2023.json", "limit_sets/qcvn_19_2009.json", "limit_sets/qcvn_19_2024.json",
                     "limit_sets/qcvn_40_2011.json", "limit_sets/qcvn_40_2025.json"]
    assert files_digest(files) == files_digest(fixture_files())


def test_the_shipped_fixtures_load():
    """Every file reads into its dataclasses."""
    units, parameters = load_units(), load_parameters()
    assert units.get("µg/Nm³").basis == "normal"
    assert parameters.get("PM2.5").unit == "µg/Nm³"
    table = load_aqi_table()
    assert (table.code, table.effective_from, table.certainty) == ("VN_AQI", date(2019, 11, 12), "confirmed")
    assert "878/QĐ-TCMT" in table.replaces and "1459/QĐ-TCMT" in table.legal_basis
    assert [c.key for c in table.categories] == ["good", "moderate", "poor", "bad", "very_bad", "hazardous"]
    assert table.column("O3", "8h").points[-1] == (D(400), D(300))
    assert not table.column("O3", "8h").open_ended and table.column("O3", "1h").open_ended
    sets = load_limit_sets()
    assert set(sets) == {"qcvn_05_2023", "qcvn_40_2011_a", "qcvn_40_2011_b", "qcvn_19_2009_a", "qcvn_19_2009_b",
                         "qcvn_40_2025_a", "qcvn_40_2025_b", "qcvn_40_2025_c",
                         "qcvn_19_2024_a", "qcvn_19_2024_b", "qcvn_19_2024_c"}
    assert sets["qcvn_40_2011_b"].factors_data["formula"] == "Cmax = C × Kq × Kf"
    # Stored as is in LimitSet.factors (a JSONField): plain JSON, no Decimal.
    assert json.loads(json.dumps(sets["qcvn_40_2011_b"].factors_data))["tables"]["kf"]["bands"][0] == {
        "upto": 50, "value": 1.2}
    assert set(sets["qcvn_40_2011_b"].factor_tables) == {"kq_river", "kf"}
    assert sets["qcvn_40_2011_b"].file == "qcvn_40_2011.json"
    # A column's own end date ends its values (QCVN 19:2009 column A, until 2014).
    assert {v.effective_to for v in sets["qcvn_19_2009_a"].values} == {date(2014, 12, 31)}
    # A value without its own start takes the regulation's.
    assert {v.effective_from for v in sets["qcvn_40_2011_b"].values} == {date(2012, 2, 15)}
    # No factors in QCVN 05:2023: nothing is multiplied.
    assert not any(v.multiplied for v in sets["qcvn_05_2023"].values)


@pytest.fixture
def fixture_copy(tmp_path):
    """A writable copy of fixtures/monitoring; `edit(name, fn)` changes one JSON file in it."""
    root = tmp_path / "monitoring"
    shutil.copytree(fixtures_dir(), root)

    def edit(name: str, change: Callable[[dict], None]) -> Path:
        path = root / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return root

    return root, edit


def _set(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(path: list):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


# (file, change, loader, message fragment naming the path)
BROKEN = [
    ("aqi/vn_aqi_1459_2019.json", _set(["columns", 4, "breakpoints", 2], 90), load_aqi_table,
     "columns[4].breakpoints[2]: must be greater than 100"),
    ("aqi/vn_aqi_1459_2019.json", _set(["columns", 1, "breakpoints", 3], None), load_aqi_table,
     "columns[1].breakpoints: only the last breakpoints may be null"),
    ("aqi/vn_aqi_1459_2019.json", _set(["columns", 0, "breakpoints"], [0, 160]), load_aqi_table,
     "columns[0].breakpoints: needs 8 values"),
    ("aqi/vn_aqi_1459_2019.json", _set(["columns", 0, "averaging"], ["2h"]), load_aqi_table,
     "columns[0].averaging[0]"),
    ("aqi/vn_aqi_1459_2019.json", _set(["categories", 2, "hex"], "#FF7E01"), load_aqi_table,
     "categories[2].hex: #FF7E01 is not RGB [255, 126, 0]"),
    ("aqi/vn_aqi_1459_2019.json", _set(["categories", 1, "low"], 52), load_aqi_table,
     "categories[1].low: must be 51"),
    ("aqi/vn_aqi_1459_2019.json", _set(["categories", 0, "label"], {"vi": "Tốt"}), load_aqi_table,
     "categories[0].label.en"),
    ("aqi/vn_aqi_1459_2019.json", _delete(["effective_from"]), load_aqi_table, "effective_from: is required"),
    ("aqi/vn_aqi_1459_2019.json", _set(["effective_from"], "12/11/2019"), load_aqi_table,
     "effective_from: must be a date"),
    ("aqi/vn_aqi_1459_2019.json", _set(["required_any"], ["TSP"]), load_aqi_table, "required_any"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "parameter"], "SO3"), load_limit_sets,
     "columns[0].values[0].parameter: unknown parameter 'SO3'"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "parameter"], "COD_WW"), load_limit_sets,
     "COD_WW is a wastewater parameter, the set is ambient_air"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "lower"], 400), load_limit_sets,
     "columns[0].values[0]: lower 400 is above upper 350"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "averaging"], "2h"), load_limit_sets,
     "columns[0].values[0].averaging"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "unit"], "mg/L"), load_limit_sets,
     "columns[0].values[0].unit: mg/L does not measure SO2"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "unit"], "ug/Nm3"), load_limit_sets,
     "write the unit's code 'µg/Nm³'"),
    ("limit_sets/qcvn_05_2023.json", _delete(["columns", 0, "values", 15, "effective_to"]), load_limit_sets,
     "PM2.5 24h: two values in force at once"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values", 0, "certainty"], "likely"), load_limit_sets,
     "columns[0].values[0].certainty"),
    ("limit_sets/qcvn_05_2023.json", _set(["columns", 0, "values"], []), load_limit_sets,
     "only an unconfirmed set may have no values"),
    ("limit_sets/qcvn_05_2023.json", _set(["effective_to"], "2020-01-01"), load_limit_sets,
     "effective_to 2020-01-01 is before effective_from 2023-09-12"),
    ("limit_sets/qcvn_05_2023.json", _set(["title"], {"vi": "x", "en": " "}), load_limit_sets, "title.en"),
    ("limit_sets/qcvn_40_2011.json", _set(["factors", "tables", "kf", "bands", 1, "upto"], 40), load_limit_sets,
     "factors.tables.kf.bands[1].upto: bands must increase"),
    ("limit_sets/qcvn_40_2011.json", _set(["factors", "not_multiplied"], ["PH"]), load_limit_sets,
     "factors.not_multiplied[0]: unknown parameter 'PH'"),
    ("limit_sets/qcvn_40_2011.json", _set(["columns", 1, "column"], "A"), load_limit_sets,
     "columns[1].column: column 'A' is repeated"),
    ("limit_sets/qcvn_19_2009.json", _set(["factors", "tables", "kv", "by_key", "3"], 0), load_limit_sets,
     "factors.tables.kv: factors must be positive"),
    ("units.json", _set(["units", 1, "aliases"], ["ug/m3"]), load_units, "is used by"),
    ("units.json", _set(["units", 0, "factor"], "-1"), load_units, "units[0].factor: must be positive"),
    ("parameters.json", _set(["parameters", 0, "unit"], "furlong"), load_parameters,
     "parameters[0].unit: unknown unit 'furlong'"),
    ("parameters.json", _set(["parameters", 1, "aliases"], ["SO2"]), load_parameters,
     "ambient_air: name 'SO2' is used by 'SO2' and 'NO2'"),
    ("parameters.json", _set(["parameters", 0, "medium"], "soil"), load_parameters, "parameters[0].medium"),
]


@pytest.mark.parametrize(("name", "change", "loader", "message"), BROKEN,
                         ids=[f"{n.split('/')[-1]}-{i}" for i, (n, *_) in enumerate(BROKEN)])
def test_broken_files_raise_table_error_with_file_and_path(fixture_copy, name, change, loader, message):
    """A structural mistake raises TableError naming the file and the JSON path."""
    root, edit = fixture_copy
    edit(name, change)
    with pytest.raises(TableError) as info:
        loader(base=root)
    assert message in str(info.value)
    assert str(info.value).startswith(Path(name).name)


def test_unreadable_and_missing_files(fixture_copy):
    """Invalid JSON and missing files are TableErrors too."""
    root, _ = fixture_copy
    (root / "units.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TableError, match="units.json: \\(top\\): not valid JSON"):
        load_units(base=root)
    (root / "aqi" / "vn_aqi_1459_2019.json").unlink()
    with pytest.raises(TableError, match="file not found"):
        load_aqi_table(base=root)


def test_numbers_are_read_as_decimals():
    """JSON numbers become Decimal: 7.5 mg/Nm³ stays exactly 7.5."""
    sets = load_limit_sets()
    h2s = next(v for v in sets["qcvn_19_2009_b"].values if v.parameter == "H2S_EM")
    assert h2s.upper == D("7.5") and isinstance(h2s.upper, D)
