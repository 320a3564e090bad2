"""Loading the form versions from fixtures/, and choosing the form a filer files."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from layers.choices import PermitClass
from layers.tests.factories import FacilityFactory, ZoneFactory
from reports.domain.forms import DefinitionError
from reports.formdefs import CREATED, UNCHANGED, UPDATED, form_for, forms_directory, load_form_definitions
from reports.models import FormDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms_dir(tmp_path) -> Path:
    """A copy of the shipped definitions that a test may change."""
    target = tmp_path / "forms"
    shutil.copytree(forms_directory(), target)
    return target


def test_the_three_fixtures_load():
    """05.A, 05.B and 06 load with their deadlines, dates, titles and file hashes."""
    forms = load_form_definitions()
    assert [(f.code, f.version, f.load_outcome) for f in forms] == [
        ("05.A", "2022.1", CREATED), ("05.B", "2022.1", CREATED), ("06", "2022.1", CREATED)]
    by_code = {f.code: FormDefinition.objects.get(pk=f.pk) for f in forms}
    assert {c: f.applies_to for c, f in by_code.items()} == {"05.A": "gpmt", "05.B": "dkmt", "06": "zone_investor"}
    assert {c: (f.deadline_month, f.deadline_day) for c, f in by_code.items()} == {
        "05.A": (1, 15), "05.B": (1, 15), "06": (1, 20)}
    assert all(f.effective_from == dt.date(2022, 1, 10) and f.effective_to is None for f in by_code.values())
    assert by_code["05.A"].due_before(2024) == dt.date(2025, 1, 15)
    assert by_code["06"].due_before(2024) == dt.date(2025, 1, 20)
    digest = hashlib.sha256((forms_directory() / "05A-2022.json").read_bytes()).hexdigest()
    assert by_code["05.A"].sha256 == digest
    assert by_code["05.A"].title_vi.startswith("Báo cáo công tác bảo vệ môi trường")
    assert by_code["05.A"].definition["sections"][0]["title"]["vi"] == "THÔNG TIN CHUNG"


def test_loading_twice_is_a_no_op():
    first = {f.pk: f.loaded_at for f in load_form_definitions()}
    second = load_form_definitions()
    assert [f.load_outcome for f in second] == [UNCHANGED] * 3
    assert {f.pk: FormDefinition.objects.get(pk=f.pk).loaded_at for f in second} == first
    assert FormDefinition.objects.count() == 3


def test_a_changed_file_updates_its_version(forms_dir):
    load_form_definitions(forms_dir)
    path = forms_dir / "05B-2022.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    definition["title"]["en"] = "Changed title"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    outcomes = {f.code: f.load_outcome for f in load_form_definitions(forms_dir)}
    assert outcomes == {"05.A": UNCHANGED, "05.B": UPDATED, "06": UNCHANGED}
    assert FormDefinition.objects.get(code="05.B").title_en == "Changed title"


def test_a_malformed_file_loads_nothing(forms_dir):
    """All files are checked before anything is written; the error names file and JSON path."""
    path = forms_dir / "06-2022.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    definition["sections"][1]["items"][1]["total_of"] = "nowhere.volume"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_form_definitions(forms_dir)
    assert info.value.path == "06-2022.json: $.sections[1].items[1].total_of"
    assert FormDefinition.objects.count() == 0


def test_two_files_with_the_same_version_are_refused(forms_dir):
    shutil.copy(forms_dir / "05A-2022.json", forms_dir / "05A-copy.json")
    with pytest.raises(DefinitionError, match="also defined in"):
        load_form_definitions(forms_dir)


def add_version(forms_dir: Path, source: str, version: str, effective_from: str) -> None:
    definition = json.loads((forms_dir / source).read_text(encoding="utf-8"))
    definition["version"], definition["effective_from"] = version, effective_from
    (forms_dir / f"{source[:-5]}-{version}.json").write_text(json.dumps(definition, ensure_ascii=False),
                                                              encoding="utf-8")


@pytest.mark.parametrize(("permit_class", "code"), [
    (PermitClass.GPMT, "05.A"), (PermitClass.DKMT, "05.B"), (PermitClass.EXEMPT, None)])
def test_form_for_a_facility_follows_its_permit_class(permit_class, code):
    load_form_definitions()
    form = form_for(facility=FacilityFactory.build(permit_class=permit_class), year=2024)
    assert (form.code if form else None) == code


def test_form_for_a_zone_is_06():
    load_form_definitions()
    assert form_for(zone=ZoneFactory.build(), year=2024).code == "06"


def test_form_for_picks_the_version_in_force(forms_dir):
    """The latest version in force by the year's end; none before the first one."""
    add_version(forms_dir, "05A-2022.json", "2025.1", "2025-03-01")
    load_form_definitions(forms_dir)
    facility = FacilityFactory.build(permit_class=PermitClass.GPMT)
    assert form_for(facility=facility, year=2024).version == "2022.1"
    assert form_for(facility=facility, year=2025).version == "2025.1"
    assert form_for(facility=facility, year=2021) is None


def test_form_for_needs_exactly_one_filer():
    with pytest.raises(ValueError):
        form_for(year=2024)


def test_command_prints_what_it_loaded(forms_dir):
    out = StringIO()
    call_command("load_report_forms", "--dir", str(forms_dir), stdout=out)
    assert "05.A 2022.1: created" in out.getvalue() and "06 2022.1: created" in out.getvalue()
    out = StringIO()
    call_command("load_report_forms", "--dir", str(forms_dir), stdout=out)
    assert out.getvalue().count(": unchanged") == 3


def test_command_reports_a_malformed_file(forms_dir):
    (forms_dir / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="broken.json"):
        call_command("load_report_forms", "--dir", str(forms_dir), stdout=StringIO())


def test_a_version_with_submissions_cannot_change(forms_dir):
    """Copies of record were filed against it: a changed definition needs a new version."""
    from django.utils import timezone

    from reports.models import Report, ReportSubmission

    form = {f.code: f for f in load_form_definitions(forms_dir)}["05.A"]
    facility = FacilityFactory()
    report = Report.objects.create(facility=facility, organisation=facility.owner_organisation, year=2024, form=form,
                                   due_before=form.due_before(2024))
    ReportSubmission.objects.create(
        report=report, revision=1, form=form, data={}, rendered_sha256="0" * 64, signed_pdf="x.pdf",
        sha256="1" * 64, size=1, signing_path="upload", verification={}, received_at=timezone.now(),
        receipt_pdf="r.pdf", receipt_sha256="2" * 64)
    path = forms_dir / "05A-2022.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    definition["legal_basis"] += " (sửa)"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DefinitionError, match="already has submitted reports"):
        load_form_definitions(forms_dir)
    assert FormDefinition.objects.get(pk=form.pk).legal_basis == form.legal_basis
