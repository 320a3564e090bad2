"""Load the Hai Phong demo data set from fixtures/ (idempotent).

Skips everything when the fixture files are unchanged since the last load (their
SHA-256 is kept in catalogues.FixtureLoad), so `make run` stays fast.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from geoportal.audit.services import audit_record
from geoportal.catalogues.models import Catalogue, FixtureLoad
from geoportal.catalogues.services import catalogue_entry_upsert, files_digest
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import AdministrativeUnit, Organisation
from geoportal.organisations.services import admin_units_import, organisation_upsert
from layers.demo import demo_layers_current, layer_files, load_demo_layers
from monitoring.demo import (
    detach_demo_stations,
    generate_demo_readings_task,
    load_demo_stations,
    station_fixture_files,
)
from monitoring.reference import fixture_files as monitoring_reference_files
from monitoring.reference import load_reference
from reports.demo import load_demo_reports, report_fixture_files

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "HaiPhong@2025"  # demo accounts only; documented in README.md
DATASET = "demo"


def fixture_files() -> list[Path]:
    return sorted({*(FIXTURES / "demo").glob("*.json"), FIXTURES / "demo" / "admin_units.geojson",
                   *(FIXTURES / "catalogues").glob("*.json"), *layer_files(), *report_fixture_files(),
                   *monitoring_reference_files(), *station_fixture_files()})


def load_catalogues() -> int:
    n = 0
    for path in sorted((FIXTURES / "catalogues").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        cat, _ = Catalogue.objects.update_or_create(
            code=data["code"],
            defaults={"name_vi": data["name_vi"], "name_en": data.get("name_en", ""),
                      "legal_basis": data.get("legal_basis", "")},
        )
        for order, entry in enumerate(data["entries"], start=1):
            code, name_vi, name_en, *dates = entry
            values = {"name_vi": name_vi, "name_en": name_en, "sort_order": order}
            if dates:
                values["valid_from"] = dates[0]
                values["valid_to"] = dates[1] if len(dates) > 1 else None
            catalogue_entry_upsert(actor=None, catalogue=cat, code=code, values=values)
            n += 1
    return n


def load_organisations_and_users(stdout) -> tuple[int, int]:
    spec = json.loads((FIXTURES / "demo" / "organisations.json").read_text(encoding="utf-8"))
    units = {u.code: u for u in AdministrativeUnit.objects.all()}
    orgs: dict[str, Organisation] = {}

    dept, _ = organisation_upsert(actor=None, lookup={"kind": OrganisationKind.DEPARTMENT, "name": spec["department"]["name"]},
                                  values={**{k: v for k, v in spec["department"].items() if k != "name"}, "is_demo": True})
    orgs["department"] = dept
    board, _ = organisation_upsert(actor=None, lookup={"kind": OrganisationKind.EZ_BOARD, "name": spec["ez_board"]["name"]},
                                   values={**{k: v for k, v in spec["ez_board"].items() if k != "name"}, "is_demo": True})
    orgs["ez_board"] = board
    for i, agency in enumerate(spec["agencies"]):
        org, _ = organisation_upsert(actor=None, lookup={"kind": OrganisationKind.AGENCY, "name": agency["name"]},
                                     values={"short_name": agency.get("short_name", ""), "is_demo": True})
        orgs[f"agency:{i}"] = org
    for unit in units.values():
        org, _ = organisation_upsert(
            actor=None, lookup={"kind": OrganisationKind.COMMUNE, "admin_unit": unit},
            values={"name": f"Ủy ban nhân dân {unit.full_name.lower().replace(unit.name.lower(), unit.name)}",
                    "short_name": f"UBND {unit.full_name.split(' ', 1)[0].lower()} {unit.name}"
                    if unit.kind != "dac_khu" else f"UBND đặc khu {unit.name}",
                    "is_demo": True},
        )
        orgs[f"commune:{unit.code}"] = org
    for ent in spec["enterprises"]:
        org, _ = organisation_upsert(
            actor=None, lookup={"kind": OrganisationKind.ENTERPRISE, "tax_code": ent["tax_code"]},
            values={"name": ent["name"], "address": ent.get("address", ""),
                    "admin_unit": units.get(ent.get("unit") or ""), "is_demo": True},
        )
        orgs[f"enterprise:{ent['tax_code']}"] = org

    User = get_user_model()
    # One PBKDF2 hash shared by all demo accounts: hashing 130 passwords would take ~40 s.
    password_hash = make_password(DEMO_PASSWORD)
    wanted = []
    for u in spec["users"]:
        wanted.append({**u, "organisation": orgs[u["org"]]})
    for code, unit in sorted(units.items()):
        wanted.append({"username": f"xa.{code}", "first_name": "Cán bộ", "last_name": f"UBND {unit.name}",
                       "organisation": orgs[f"commune:{code}"], "roles": ["commune_officer"], "holder": True})
    existing = {u.username: u for u in User.objects.filter(username__in=[w["username"] for w in wanted])}
    to_create = []
    for w in wanted:
        if w["username"] in existing:
            user = existing[w["username"]]
            changed = False
            for field in ("first_name", "last_name"):
                if getattr(user, field) != w[field]:
                    setattr(user, field, w[field])
                    changed = True
            if user.organisation_id != w["organisation"].pk or sorted(user.roles) != sorted(w["roles"]):
                user.organisation = w["organisation"]
                user.roles = sorted(w["roles"])
                changed = True
            if changed:
                user.save()
            continue
        to_create.append(User(
            username=w["username"], first_name=w["first_name"], last_name=w["last_name"],
            organisation=w["organisation"], roles=sorted(w["roles"]), password=password_hash,
            is_staff=w.get("is_staff", False), is_superuser=w.get("is_superuser", False),
            email=f"{w['username']}@demo.invalid",
        ))
    User.objects.bulk_create(to_create)
    by_name = {u.username: u for u in User.objects.filter(username__in=[w["username"] for w in wanted])}
    holders = 0
    for w in wanted:
        if w.get("holder"):
            org = w["organisation"]
            if org.account_holder_id is None:
                Organisation.objects.filter(pk=org.pk).update(account_holder=by_name[w["username"]])
                holders += 1
    return len(orgs), len(to_create)


def _enqueue_demo_readings(stdout) -> None:
    """A year of 5-minute readings is written by the background worker (about 18 M rows,
    1–2 minutes), so `make run` serves at once; later runs only top it up."""
    result = generate_demo_readings_task.enqueue()
    stdout.write(f"demo monitoring readings queued for the background worker (task {result.id})")


class Command(BaseCommand):
    help = "Load the Hai Phong demo data (units, organisations, accounts, catalogues) from fixtures/."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="reload even if unchanged")
        parser.add_argument("--no-reports", action="store_true",
                            help="leave out the demo annual reports (about 35 s of rendering and signing)")
        parser.add_argument("--no-monitoring", action="store_true",
                            help="leave out the demo monitoring stations and their generated readings")

    def handle(self, *args, **opts):
        paths = fixture_files()
        digest = files_digest(paths)
        done = FixtureLoad.objects.filter(name=DATASET).first()
        if done and done.digest == digest and not opts["force"]:
            self.stdout.write(f"demo data already loaded ({digest[:12]}); nothing to do")
            if not opts["no_monitoring"]:
                _enqueue_demo_readings(self.stdout)  # tops the readings up to the current hour
            return
        started = time.perf_counter()
        with transaction.atomic():
            report = admin_units_import(
                actor=None, path=FIXTURES / "demo" / "admin_units.geojson", approximate=True,
                source="demo: approximate boundaries (fixtures/demo/admin_units.geojson)",
            )
            n_entries = load_catalogues()
            n_orgs, n_users = load_organisations_and_users(self.stdout)
            if not demo_layers_current():
                detach_demo_stations()  # the layers will be reloaded: stations protect their facilities
            load_demo_layers(stdout=self.stdout)
            if not opts["no_reports"]:
                load_demo_reports(stdout=self.stdout)
            if not opts["no_monitoring"]:
                load_reference()
                load_demo_stations(stdout=self.stdout)  # re-links the stations to the reloaded facilities
                transaction.on_commit(lambda: _enqueue_demo_readings(self.stdout))
            FixtureLoad.objects.update_or_create(name=DATASET, defaults={"digest": digest})
            audit_record(action="fixtures.load", changes={"dataset": DATASET, "digest": digest})
            # Fresh statistics for the tables just filled: without them the planner takes the
            # register's scope filters (ORs over outer joins) for tiny tables and nests loops
            # that cost minutes, until autovacuum gets round to it (or, in a test's transaction,
            # never). ANALYZE sees this transaction's own rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"demo data loaded in {time.perf_counter() - started:.1f} s: "
            f"{AdministrativeUnit.objects.count()} units ({report.count('create')} new), "
            f"{n_orgs} organisations, {n_users} new accounts, {n_entries} catalogue entries"))
