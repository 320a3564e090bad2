"""Catalogue edits are versioned (a Revision per change) and audited, in one transaction."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation

from geoportal.audit.models import AuditEvent
from geoportal.catalogues.models import Catalogue, CatalogueEntry, Revision
from geoportal.catalogues.registry import get_managed
from geoportal.catalogues.services import (
    catalogue_entry_upsert,
    managed_create,
    managed_deactivate,
    managed_update,
)
from monitoring.models import LimitSet, Unit
from reports.models import FormDefinition
from reports.tests.factories import FormDefinitionFactory, ReportFactory, received

pytestmark = pytest.mark.django_db


def revisions_of(obj) -> list[Revision]:
    return list(Revision.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
                .order_by("version"))


def events_of(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
                .order_by("id"))


def test_each_edit_is_a_new_version_with_its_snapshot_diff_and_audit_event(world):
    """Create then two edits: versions 1, 2, 3; each snapshot equals the row in the database, each diff
    names exactly the changed fields, and each revision points at an audit event with the same changes."""
    admin = world.users["dept_admin"]
    units = get_managed("units")
    unit = managed_create(actor=admin, catalogue=units, data={"code": "mg/kg", "name_vi": "miligam trên kilogam",
                                                              "name_en": "", "aliases": ["mg/kg"]}, comment="mới")
    managed_update(actor=admin, catalogue=units, obj=unit,
                   data={"code": "mg/kg", "name_vi": "mg/kg khô", "name_en": "", "aliases": ["mg/kg"]})
    managed_update(actor=admin, catalogue=units, obj=unit,
                   data={"code": "mg/kg", "name_vi": "mg/kg khô", "name_en": "milligram per kilogram",
                         "aliases": ["mg/kg", "mg kg-1"]}, comment="thêm tên tiếng Anh")

    revs = revisions_of(unit)
    assert [r.version for r in revs] == [1, 2, 3]
    assert [r.action for r in revs] == ["create", "update", "update"]
    row = Unit.objects.values("code", "name_vi", "name_en", "aliases").get(pk=unit.pk)
    assert revs[-1].data == row
    assert revs[1].data["name_vi"] == "mg/kg khô" and revs[1].data["name_en"] == ""
    assert revs[0].changes == {"code": [None, "mg/kg"], "name_vi": [None, "miligam trên kilogam"],
                               "name_en": [None, ""], "aliases": [None, ["mg/kg"]]}
    assert revs[1].changes == {"name_vi": ["miligam trên kilogam", "mg/kg khô"]}
    assert revs[2].changes == {"name_en": ["", "milligram per kilogram"],
                               "aliases": [["mg/kg"], ["mg/kg", "mg kg-1"]]}
    assert (revs[0].comment, revs[2].comment) == ("mới", "thêm tên tiếng Anh")
    assert {r.actor_id for r in revs} == {admin.pk} and revs[0].catalogue == "units"

    events = events_of(unit)
    assert [e.action for e in events] == ["catalogue.create", "catalogue.update", "catalogue.update"]
    assert [r.audit_event_id for r in revs] == [e.pk for e in events]
    assert [e.changes for e in events] == [r.changes for r in revs]
    assert all(e.actor_id == admin.pk for e in events)


def test_an_edit_that_changes_nothing_writes_nothing(world):
    admin = world.users["dept_admin"]
    units = get_managed("units")
    unit = managed_create(actor=admin, catalogue=units, data={"code": "ppb", "name_vi": "ppb"})
    managed_update(actor=admin, catalogue=units, obj=unit, data={"name_vi": "ppb"})
    assert len(revisions_of(unit)) == 1 and len(events_of(unit)) == 1


def test_a_failing_write_leaves_neither_revision_nor_audit_event(world, monkeypatch):
    """The revision row fails after the audit event was written: both roll back with the change."""
    admin = world.users["dept_admin"]
    units = get_managed("units")
    unit = managed_create(actor=admin, catalogue=units, data={"code": "mS/m", "name_vi": "cũ"})
    n_events, n_revisions = AuditEvent.objects.count(), Revision.objects.count()

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Revision.objects, "create", broken)
    with pytest.raises(DatabaseError):
        managed_update(actor=admin, catalogue=units, obj=unit, data={"name_vi": "mới"})
    assert Unit.objects.get(pk=unit.pk).name_vi == "cũ"
    assert (AuditEvent.objects.count(), Revision.objects.count()) == (n_events, n_revisions)


def test_invalid_values_are_refused_before_anything_is_written(world):
    admin = world.users["dept_admin"]
    limit_sets = get_managed("limit-sets")
    n_events, n_revisions = AuditEvent.objects.count(), Revision.objects.count()
    with pytest.raises(ValidationError) as exc:
        managed_create(actor=admin, catalogue=limit_sets, data={
            "code": "QCVN 99:2099/BTNMT", "column": "A", "title_vi": "Thử", "medium": "wastewater",
            "effective_from": dt.date(2025, 1, 1), "effective_to": dt.date(2024, 1, 1)})
    assert "effective_to" in exc.value.error_dict
    assert not LimitSet.objects.filter(code="QCVN 99:2099/BTNMT").exists()
    assert (AuditEvent.objects.count(), Revision.objects.count()) == (n_events, n_revisions)


def test_codes_others_refer_to_are_fixed_after_creation(world):
    admin = world.users["dept_admin"]
    units = get_managed("units")
    unit = managed_create(actor=admin, catalogue=units, data={"code": "NTU", "name_vi": "NTU"})
    with pytest.raises(ValidationError) as exc:
        managed_update(actor=admin, catalogue=units, obj=unit, data={"code": "FNU"})
    assert "code" in exc.value.error_dict
    assert Unit.objects.get(pk=unit.pk).code == "NTU" and len(revisions_of(unit)) == 1


@pytest.mark.parametrize("month,day,ok", [(1, 20, True), (3, 31, True), (2, 28, True), (2, 29, False),
                                          (4, 31, False), (13, 1, False), (0, 10, False)])
def test_form_deadlines_must_be_a_date_of_every_year(world, month, day, ok):
    """due_before(year) builds date(year + 1, month, day): it must exist every year."""
    form = FormDefinitionFactory(version="gov-deadline")
    catalogue = get_managed("form-versions")
    values = {"deadline_month": month, "deadline_day": day}
    if ok:
        managed_update(actor=world.users["dept_admin"], catalogue=catalogue, obj=form, data=values)
        form.refresh_from_db()
        assert (form.deadline_month, form.deadline_day) == (month, day)
        assert form.due_before(2025) == dt.date(2026, month, day)
        expected = {k: v for k, v in {"deadline_month": [1, month], "deadline_day": [15, day]}.items() if v[0] != v[1]}
        assert revisions_of(form)[-1].changes == expected
    else:
        with pytest.raises(ValidationError):
            managed_update(actor=world.users["dept_admin"], catalogue=catalogue, obj=form, data=values)
        assert FormDefinition.objects.values_list("deadline_month", "deadline_day").get(pk=form.pk) == (1, 15)
        assert revisions_of(form) == []


def test_a_form_version_with_submissions_is_not_changed(world):
    """The rule of reports/formdefs.py: copies of record were filed against it."""
    from tests.layer_factories import FacilityFactory

    form = FormDefinitionFactory(version="gov-submitted")
    received(ReportFactory(form=form, facility=FacilityFactory(owner_organisation=world.enterprise_a)))
    with translation.override("en"), pytest.raises(ValidationError, match="already has submitted reports"):
        managed_update(actor=world.users["dept_admin"], catalogue=get_managed("form-versions"), obj=form,
                       data={"deadline_day": 20})
    assert FormDefinition.objects.get(pk=form.pk).deadline_day == 15 and revisions_of(form) == []


def test_form_versions_snapshot_leaves_the_definition_out(world):
    form = FormDefinitionFactory(version="gov-snapshot")
    managed_update(actor=world.users["dept_admin"], catalogue=get_managed("form-versions"), obj=form,
                   data={"title_en": "Test form (edited)"})
    (rev,) = revisions_of(form)
    assert "definition" not in rev.data and rev.data["title_en"] == "Test form (edited)"
    assert rev.data["code"] == "05.A" and rev.data["version"] == "gov-snapshot"


def test_deactivation_keeps_the_row_and_is_a_version(world):
    admin = world.users["dept_admin"]
    cat = Catalogue.objects.create(code="ctnh_test", name_vi="Mã CTNH thử")
    entry = catalogue_entry_upsert(actor=admin, catalogue=cat, code="16 01 06",
                                   values={"name_vi": "Bóng đèn huỳnh quang thải"})
    managed = get_managed("ctnh_test")
    managed_deactivate(actor=admin, catalogue=managed, obj=entry, comment="thay thế")
    entry.refresh_from_db()
    assert entry.is_active is False
    revs = revisions_of(entry)
    assert [(r.version, r.action) for r in revs] == [(1, "create"), (2, "deactivate")]
    assert revs[1].changes == {"is_active": [True, False]} and revs[1].comment == "thay thế"
    assert events_of(entry)[-1].action == "catalogue.deactivate"
    with pytest.raises(ValidationError):
        managed_deactivate(actor=admin, catalogue=managed, obj=entry)
    assert len(revisions_of(entry)) == 2


def test_ending_a_limit_set_sets_its_end_date_to_today(world):
    admin = world.users["dept_admin"]
    limit_set = LimitSet.objects.create(code="QCVN 98:2098/BTNMT", column="B", title_vi="Thử", medium="wastewater",
                                        effective_from=dt.date(2020, 1, 1))
    managed_deactivate(actor=admin, catalogue=get_managed("limit-sets"), obj=limit_set)
    limit_set.refresh_from_db()
    assert limit_set.effective_to == timezone.localdate()
    assert revisions_of(limit_set)[0].changes == {"effective_to": [None, timezone.localdate().isoformat()]}


def test_units_are_not_deactivated(world):
    unit = Unit.objects.create(code="Bq/L")
    with pytest.raises(ValidationError):
        managed_deactivate(actor=world.users["dept_admin"], catalogue=get_managed("units"), obj=unit)


def test_revisions_are_append_only_in_the_database(world):
    admin = world.users["dept_admin"]
    unit = managed_create(actor=admin, catalogue=get_managed("units"), data={"code": "dB", "name_vi": "đề-xi-ben"})
    (rev,) = revisions_of(unit)
    with pytest.raises(DatabaseError), transaction.atomic():
        Revision.objects.filter(pk=rev.pk).update(comment="sửa lịch sử")
    with pytest.raises(DatabaseError), transaction.atomic():
        Revision.objects.filter(pk=rev.pk).delete()


def test_fixture_reload_writes_a_version_only_for_changed_entries(world):
    """catalogue_entry_upsert (the demo loader) goes through the same versioning, with no actor."""
    cat = Catalogue.objects.create(code="sectors_test", name_vi="Ngành thử")
    entry = catalogue_entry_upsert(actor=None, catalogue=cat, code="thep", values={"name_vi": "Thép"})
    catalogue_entry_upsert(actor=None, catalogue=cat, code="thep", values={"name_vi": "Thép"})
    catalogue_entry_upsert(actor=None, catalogue=cat, code="thep", values={"name_vi": "Luyện thép"})
    revs = revisions_of(entry)
    assert [r.version for r in revs] == [1, 2] and revs[1].changes == {"name_vi": ["Thép", "Luyện thép"]}
    assert revs[0].actor is None and revs[0].actor_username == ""


def test_ctnh_codes_fixture_holds_every_code_of_the_demo_reports():
    """The CTNH catalogue covers the codes the demo reports use, written "NN NN NN"."""
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    catalogue = json.loads((fixtures / "catalogues" / "ctnh_codes.json").read_text(encoding="utf-8"))
    codes = [entry[0] for entry in catalogue["entries"]]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 8 and c[2] == c[5] == " " and c.replace(" ", "").isdigit() for c in codes)
    demo = (fixtures / "demo" / "reports.json").read_text(encoding="utf-8")
    import re

    used = set(re.findall(r'"(\d\d \d\d \d\d)"', demo))
    assert used and used <= set(codes)


def test_loading_catalogues_creates_the_ctnh_catalogue(db):
    from geoportal.core.management.commands.load_demo_data import load_catalogues

    load_catalogues()
    entry = CatalogueEntry.objects.get(catalogue__code="ctnh_codes", code="17 02 03")
    assert entry.name_vi.startswith("Dầu") and len(revisions_of(entry)) == 1
