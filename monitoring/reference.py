"""Load the monitoring reference tables from fixtures/monitoring/ into the database:
units, parameters (with the aliases dataloggers use) and limit sets with their values.

Idempotent: rows are upserted by their codes, and a limit set's values are replaced
only when its file changed (SHA-256 kept on the set). Regulatory tables are data, not
code (STYLE.md 10): a new QCVN version is a new file."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from monitoring.models import LimitSet, LimitValue, Parameter, Unit


def reference_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "monitoring"


def fixture_files() -> list[Path]:
    """Every file the reference tables come from (for the demo loader's digest)."""
    root = reference_dir()
    return sorted([root / "units.json", root / "parameters.json", *root.glob("limit_sets/*.json"),
                   *root.glob("aqi/*.json")])


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _text(obj, lang: str) -> str:
    return (obj or {}).get(lang, "") if isinstance(obj, dict) else (obj or "")


@transaction.atomic
def load_reference() -> dict[str, int]:
    """Upsert units, parameters and limit sets (validated by monitoring.domain.tables);
    returns counts of what was written."""
    from monitoring.domain.tables import load_limit_sets, load_parameters, load_units

    counts = {"units": 0, "parameters": 0, "limit_sets": 0, "limit_values": 0}
    unit_catalogue = load_units()
    parameter_catalogue = load_parameters(units=unit_catalogue)
    units = {}
    for spec in unit_catalogue.units:
        unit, _ = Unit.objects.update_or_create(code=spec.code, defaults={
            "name_vi": _text(spec.name, "vi")[:100], "name_en": _text(spec.name, "en")[:100],
            "aliases": list(spec.aliases)})
        units[unit.code] = unit
        counts["units"] += 1
    params = {}
    for spec in parameter_catalogue.parameters:
        param, _ = Parameter.objects.update_or_create(code=spec.code, defaults={
            "name_vi": _text(spec.name, "vi")[:150], "name_en": _text(spec.name, "en")[:150],
            "medium": spec.medium, "unit": units[spec.unit], "molar_mass": spec.molar_mass,
            "aliases": list(spec.aliases), "aqi_code": spec.aqi_code or ""})
        params[param.code] = param
        counts["parameters"] += 1
    root = reference_dir()
    for limit_set_spec in load_limit_sets(units=unit_catalogue, parameters=parameter_catalogue).values():
        s = limit_set_spec
        digest = hashlib.sha256((root / "limit_sets" / s.file).read_bytes()).hexdigest()
        column_vi = _text(s.column_title, "vi")
        column_en = _text(s.column_title, "en")
        values = {
            "title_vi": (_text(s.title, "vi") + (f" – {column_vi}" if column_vi else ""))[:300],
            "title_en": (_text(s.title, "en") + (f" – {column_en}" if column_en else ""))[:300],
            "medium": s.medium, "effective_from": s.effective_from, "effective_to": s.effective_to,
            "certainty": s.certainty, "legal_basis": (s.legal_basis or "")[:500], "source": (s.source or "")[:500],
            "factors": dict(s.factors_data or {}), "sha256": digest}
        limit_set = LimitSet.objects.filter(code=s.code, column=s.column).first()
        if limit_set is not None and limit_set.sha256 == digest:
            continue  # unchanged file
        if limit_set is None:
            limit_set = LimitSet.objects.create(code=s.code, column=s.column, **values)
        else:
            for key, value in values.items():
                setattr(limit_set, key, value)
            limit_set.save()
            limit_set.values.all().delete()
        counts["limit_sets"] += 1
        rows = [LimitValue(
            limit_set=limit_set, parameter=params[v.parameter], averaging=v.averaging,
            lower=None if v.lower is None else float(v.lower), upper=None if v.upper is None else float(v.upper),
            unit=units[v.unit], valid_from=v.effective_from, valid_to=v.effective_to,
            multiplied=v.multiplied, certainty=v.certainty) for v in s.values]
        LimitValue.objects.bulk_create(rows)
        counts["limit_values"] += len(rows)
    return counts
