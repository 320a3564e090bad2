"""Form versions as data: loading fixtures/reports/forms/*.json into FormDefinition, and
choosing the form a facility or zone files for a year (Circular 02/2022 Art. 66(1)).

Adding a form version is a data change: drop a new JSON file (new `version`, its own
`effective_from`) and run `manage.py load_report_forms`. A file is identified by its
(code, version) and its SHA-256; an unchanged file is not written again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from layers.choices import PermitClass
from reports.choices import FormAppliesTo
from reports.domain.forms import DefinitionError, validate_definition
from reports.models import FormDefinition, ReportSubmission

# Filed by, per the facility's permit class; exempt facilities (Art. 32 Decree 08/2022) file nothing.
APPLIES_TO_BY_PERMIT_CLASS = {PermitClass.GPMT: FormAppliesTo.GPMT, PermitClass.DKMT: FormAppliesTo.DKMT}

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def forms_directory() -> Path:
    """Where the form definitions live (fixtures/reports/forms)."""
    return Path(settings.BASE_DIR) / "fixtures" / "reports" / "forms"


def _read(path: Path) -> tuple[dict, str]:
    raw = path.read_bytes()
    try:
        definition = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DefinitionError(f"{path.name}: $", f"not UTF-8 JSON: {exc}") from None
    try:
        validate_definition(definition)
    except DefinitionError as exc:
        raise DefinitionError(f"{path.name}: {exc.path}", exc.message) from None
    return definition, hashlib.sha256(raw).hexdigest()


def _values(definition: dict, digest: str) -> dict:
    return {
        "applies_to": definition["applies_to"],
        "title_vi": definition["title"]["vi"],
        "title_en": definition["title"].get("en", ""),
        "legal_basis": definition["legal_basis"],
        "effective_from": dt.date.fromisoformat(definition["effective_from"]),
        "effective_to": (dt.date.fromisoformat(definition["effective_to"])
                         if definition.get("effective_to") else None),
        "deadline_month": definition["deadline"]["month"],
        "deadline_day": definition["deadline"]["day"],
        "definition": definition,
        "sha256": digest,
    }


def load_form_definitions(directory: Path | None = None) -> list[FormDefinition]:
    """Validate every *.json form file and upsert it by (code, version), all in one transaction.

    Each returned FormDefinition carries `load_outcome`: "created", "updated" or
    "unchanged" (same SHA-256 as loaded before: nothing written). A version that already
    has submissions (copies of record) may not change: publish a new version instead.
    Raises DefinitionError (naming the file and the JSON path) before writing anything.
    """
    directory = Path(directory) if directory is not None else forms_directory()
    files = sorted(directory.glob("*.json"))
    parsed: list[tuple[Path, dict, str]] = []
    seen: dict[tuple[str, str], str] = {}
    for path in files:
        definition, digest = _read(path)
        ident = (definition["code"], definition["version"])
        if ident in seen:
            raise DefinitionError(f"{path.name}: $.version",
                                  f"form {ident[0]} version {ident[1]} is also defined in {seen[ident]}")
        seen[ident] = path.name
        parsed.append((path, definition, digest))
    loaded: list[FormDefinition] = []
    with transaction.atomic():
        for path, definition, digest in parsed:
            values = _values(definition, digest)
            form = (FormDefinition.objects.select_for_update()
                    .filter(code=definition["code"], version=definition["version"]).first())
            if form is not None and form.sha256 == digest:
                form.load_outcome = UNCHANGED
                loaded.append(form)
                continue
            if form is not None and ReportSubmission.objects.filter(form=form).exists():
                raise DefinitionError(f"{path.name}: $.version",
                                      f"form {form.code} version {form.version} already has submitted reports; "
                                      "a changed definition needs a new version")
            outcome = CREATED if form is None else UPDATED
            form = form or FormDefinition(code=definition["code"], version=definition["version"])
            for name, value in values.items():
                setattr(form, name, value)
            form.full_clean()
            form.save()
            form.load_outcome = outcome
            loaded.append(form)
    return loaded


def form_for(*, facility=None, zone=None, year: int) -> FormDefinition | None:
    """The form version a facility (by permit class) or a zone's investor files for `year`;
    None when the facility is exempt or no version is in force."""
    if (facility is None) == (zone is None):
        raise ValueError("form_for() takes a facility or a zone")
    if zone is not None:
        applies_to = FormAppliesTo.ZONE_INVESTOR
    else:
        applies_to = APPLIES_TO_BY_PERMIT_CLASS.get(facility.permit_class)
        if applies_to is None:
            return None
    return FormDefinition.objects.filter(applies_to=applies_to).for_year(year).first()
