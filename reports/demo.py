"""The demo reporting season (issue 5): annual BVMT reports of the demo facilities, loaded
from fixtures/demo/reports.json by `manage.py load_demo_data`.

Everything goes through the real services: the enterprise's account opens the report
(prefilled from the facility, its permit and last year's report), saves its data, renders
the PDF, signs it (in the portal or with its "own tool" and uploads it) and submits it; the
Department officer accepts or returns it. Each submission is therefore a real copy of
record: a PAdES signature by a demo-CA certificate, verified on receipt, with a receipt
sealed by the demo e-seal.

- Certificates: the five named demo enterprises sign with their committed PKCS#12 files
  (fixtures/demo/pki/enterprise-<tax code>.p12). Other facilities get a certificate minted
  in memory by the demo root CA for the tax code the report must be signed with
  (reports.services.workflow.expected_tax_code: the facility's, a branch's own code
  included). Nothing is written to disk.
- Accounts: the invented enterprises have no account in organisations.json. Filing needs
  one (the services check Report.objects.for_user(user, CHANGE)), so each gets an active
  account "dn.<tax code>" with an unusable password (nobody can log in with it), first
  name "(demo)", created through geoportal.accounts.services.user_create (audited).
- Dates, demo only: the services stamp submissions and reviews with the current time.
  After each step the Report's summary dates (created_at, first_submitted_at, submitted_at,
  reviewed_at) are moved to the scenario's dates with a queryset .update(), so the officer
  pages show on-time and late reports. The copies of record keep the real time of the load
  (ReportSubmission.received_at and outcome_at, the signing time, the receipt, the audit
  log): they are immutable (database trigger) and must not claim a time that is not true.
  A `now=` parameter on report_submit_signed was the alternative; it would have put a
  false receipt time on a sealed receipt, so it was not added.
- Idempotent: a scenario entry whose report (facility, year) exists is kept as it is
  (copies of record are never replaced), so a second load creates nothing. Because the
  reports refer to demo facilities (PROTECT) and submissions can never be deleted, the
  demo layers cannot be reloaded (layers.demo.delete_demo_layers) once they exist: a
  changed layer fixture needs a fresh database.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.dateparse import parse_datetime

from geoportal.accounts.choices import Role
from layers.models import Facility
from reports.choices import ReportStatus, SigningPath
from reports.domain.forms import canonical_decimal, field_specs, table_specs
from reports.domain.limits import parse_limit
from reports.formdefs import form_for, forms_directory, load_form_definitions
from reports.models import Report
from reports.prefill import permit_in_force
from reports.signing import demo_pki

DEMO_USER_MARK = "(demo)"  # first name of the accounts created for invented enterprises
SIGNATURE_FIELD = "ChuKyCoSo"
CERTIFICATE_YEARS = 5
# Automatic wastewater monitoring is shown for works of at least this capacity (m³/day,
# the order of the Decree 08/2022 Art. 97 thresholds); 5-minute values: 12 an hour.
AUTOMATIC_MONITORING_M3_DAY = 500
VALUES_PER_YEAR = 365 * 24 * 12
WORKING_DAYS = (290, 330)  # days a year the works run
QUARTER_MONTHS = (3, 6, 9, 12)
SMALL_MONTHS = (6, 12)  # two sampling rounds for the small reports of the bulk facilities


class DemoReportsError(RuntimeError):
    """The demo reports cannot be loaded (missing prerequisite or an inconsistent scenario)."""


def scenario_path() -> Path:
    """The demo scenario file (fixtures/demo/reports.json)."""
    return Path(settings.BASE_DIR) / "fixtures" / "demo" / "reports.json"


def report_fixture_files() -> list[Path]:
    """Every file the demo reports are made from (for load_demo_data's digest): the scenario,
    the form definitions and the demo PKI files the loader reads."""
    pki = Path(settings.DEMO_PKI_DIR)
    return sorted([scenario_path(), *forms_directory().glob("*.json"), pki / demo_pki.ROOT_FILE,
                   pki / demo_pki.ROOT_KEY_FILE, pki / demo_pki.ESEAL_FILE, *pki.glob("enterprise-*.p12")])


def read_scenario(path: Path | None = None) -> dict:
    """The scenario as data (see the comments at the top of the file)."""
    path = path or scenario_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoReportsError(f"{path} is missing") from None


def _at(value: str) -> dt.datetime:
    moment = parse_datetime(value)
    if moment is None or moment.tzinfo is None:
        raise DemoReportsError(f"not an aware ISO date-time: {value!r}")
    return moment


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _number(value: float | Decimal, *, places: int = 0) -> str:
    """A canonical decimal string (the data contract), rounded to `places` decimals."""
    exponent = Decimal(1).scaleb(-places)
    return canonical_decimal(Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP))


def _quantity(value: float) -> str:
    """Kilograms, tonnes, m³: whole above 100, one decimal below."""
    return _number(value, places=0 if value >= 100 else 1)


@dataclass
class _Entry:
    """One report of the scenario, named or bulk, in one shape."""

    tax_code: str
    year: int
    fill: str  # "full", "small" or "partial" (a draft in progress)
    steps: list[dict]
    number: str = ""
    report_date: dt.date | None = None
    opened: dt.datetime | None = None
    fields: dict = field(default_factory=dict)
    exceedances: list[dict] = field(default_factory=list)
    leave_out: dict = field(default_factory=dict)
    rounds: int | None = None
    exempt: bool = False


def _entries(scenario: dict) -> list[_Entry]:
    year = int(scenario["year"])
    entries = []
    for raw in scenario.get("reports", ()):
        entries.append(_Entry(
            tax_code=raw["facility"], year=int(raw.get("year", year)), fill=raw.get("fill", "full"),
            steps=list(raw.get("steps", ())), number=raw.get("number", ""), report_date=_day(raw.get("report_date")),
            opened=_at(raw["opened"]) if raw.get("opened") else None, fields=dict(raw.get("fields", {})),
            exceedances=list(raw.get("exceedances", ())), leave_out=dict(raw.get("leave_out", {})),
            rounds=raw.get("rounds"), exempt=bool(raw.get("exempt"))))
    for raw in scenario.get("bulk", ()):
        submitted = _at(raw["submitted"])
        rng = random.Random(f"{scenario['seed']}:dates:{raw['facility']}")
        steps = [{"do": "submit", "at": raw["submitted"], "signing": raw.get("signing", "portal")}]
        if raw["outcome"] == "accepted":
            steps.append({"do": "accept", "at": raw["reviewed"], "note": ""})
        elif raw["outcome"] != "submitted":
            raise DemoReportsError(f"bulk {raw['facility']}: outcome must be 'accepted' or 'submitted'")
        entries.append(_Entry(
            tax_code=raw["facility"], year=year, fill="small", steps=steps,
            number=f"{rng.randint(1, 30):02d}/BC-MT",
            report_date=(submitted - dt.timedelta(days=rng.randint(0, 3))).date(),
            opened=submitted - dt.timedelta(days=rng.randint(6, 20), hours=rng.randint(0, 6)),
            exceedances=list(raw.get("exceedances", ()))))
    return entries


# "287 505 tấn phôi thép/năm", "38 triệu mét vải/năm": a yearly capacity (spaces or dots
# between thousands), then its unit.
CAPACITY_RE = re.compile(r"^\s*(?P<number>\d{1,3}(?:[ .\u00a0]\d{3})+|\d+)(?:,(?P<fraction>\d+))?\s+(?P<unit>[^/]+)/năm\s*$")


def capacity_scale(capacity: str, product: list, rng: random.Random) -> float:
    """How much bigger than the sector profile this facility is: from its yearly capacity when
    it is counted in the unit of the profile's first product (run at 70–95 % of it), else a
    random 0.6–1.4."""
    match = CAPACITY_RE.match(capacity or "")
    _item, unit, base = product
    if match and match.group("unit").strip().casefold().startswith(unit.casefold()):
        number = float(re.sub(r"\D", "", match.group("number")) + "." + (match.group("fraction") or "0"))
        return min(max(number * rng.uniform(0.7, 0.95) / base, 0.05), 20.0)
    return rng.uniform(0.6, 1.4)


class _DataMaker:
    """Plausible report data for one facility and year, deterministic (a seeded random)."""

    def __init__(self, scenario: dict, *, report: Report, facility: Facility, entry: _Entry):
        self.scenario, self.report, self.facility, self.entry = scenario, report, facility, entry
        self.rng = random.Random(f"{scenario['seed']}:{facility.tax_code}:{report.year}")
        profiles = scenario["profiles"]
        sector = facility.sector.code if facility.sector_id else "khac"
        self.profile = profiles.get(sector) or profiles["khac"]
        self.scale = capacity_scale(facility.capacity, self.profile["products"][0], self.rng)
        self.definition = report.form.definition
        self.tables = table_specs(self.definition)
        self.permit = permit_in_force(facility=facility, day=dt.date(report.year, 12, 31))
        streams = list(self.permit.discharge_streams.all()) if self.permit else []
        self.columns = {s.kind: (s.regulation_column or "B") for s in sorted(streams, key=lambda s: s.code)}
        self.codes = {s.kind: s.code for s in sorted(streams, key=lambda s: s.code, reverse=True)}

    def make(self) -> tuple[dict, dict[str, list[dict]]]:
        """(data to save, rows held back for a later revision by the entry's leave_out)."""
        prefilled = self.report.data or {}
        fields = dict(prefilled.get("fields") or {})
        tables = {key: [dict(row) for row in rows] for key, rows in (prefilled.get("tables") or {}).items()}
        for key, spec in field_specs(self.definition).items():
            if "total_of" in spec:
                fields.pop(key, None)  # clean_data fills the totals from the tables
        self._year_rows(tables, "products")
        self._year_rows(tables, "consumption")
        self._solid_waste(tables)
        if self.entry.fill != "partial":
            fresh = not tables.get("wastewater_works") and not tables.get("emission_works")
            self._wastewater(tables, fresh=fresh)
            self._emissions(tables, fresh=fresh)
            self._automatic(tables)
            self._hazardous(tables)
            self._scrap(tables)
            self._remedies(tables)
            texts = self.scenario["texts"]
            fields["incident_prevention"] = self.rng.choice(texts["incident_prevention"])
            fields["other_measures"] = self.rng.choice(texts["other_measures"])
            fields["recommendations"] = self.rng.choice(texts["recommendations"])
        for key, value in self.entry.fields.items():
            fields[key] = value
        fields = {k: v for k, v in fields.items() if k in field_specs(self.definition) and v not in ("", None)}
        tables = {k: rows for k, rows in tables.items() if k in self.tables}
        held = self._leave_out(tables)
        return {"fields": fields, "tables": tables}, held

    # --- tables -------------------------------------------------------------------------
    def _vary(self, base: float, low: float = 0.85, high: float = 1.15) -> float:
        return base * self.scale * self.rng.uniform(low, high)

    def _year_rows(self, tables: dict, key: str) -> None:
        if key not in self.tables:
            return
        rows = tables.get(key) or []
        if rows:  # carried over from last year's report: its figure is this year's previous_year
            for row in rows:
                previous = Decimal(str(row.get("previous_year") or 0))
                row["reporting_year"] = _quantity(float(previous) * self.rng.uniform(0.93, 1.09))
        else:
            for item, unit, base in self.profile[key]:
                previous = self._vary(base)
                rows.append({"item": item, "unit": unit, "previous_year": _quantity(previous),
                             "reporting_year": _quantity(previous * self.rng.uniform(0.93, 1.09))})
        tables[key] = rows

    def _solid_waste(self, tables: dict) -> None:
        if "solid_waste" not in self.tables:
            return
        receivers = self.scenario["receivers"]
        # 0.45 kg per person and working day (domestic waste of a workforce).
        domestic = self.profile["employees"] * self.scale * 0.45 * self.rng.randint(*WORKING_DAYS)
        rows = [{"waste_kind": "domestic", "quantity_kg": _quantity(domestic), "reused_kg": "0",
                 "receiver": self.rng.choice(receivers["domestic"])}]
        if self.profile.get("industrial_kg"):
            industrial = self._vary(self.profile["industrial_kg"], 0.8, 1.2)
            reused = industrial * float(self.profile.get("reused_share", "0")) * self.rng.uniform(0.9, 1.0)
            rows.append({"waste_kind": "industrial", "quantity_kg": _quantity(industrial),
                         "reused_kg": _quantity(reused), "receiver": self.rng.choice(receivers["industrial"])})
        tables["solid_waste"] = rows

    def _wastewater(self, tables: dict, *, fresh: bool) -> None:
        if "wastewater_works" not in self.tables:
            return
        rows = tables.get("wastewater_works") or []
        if not rows and fresh:
            rows = [{"works_name": name, "capacity_m3_day": _number(capacity), "technology": technology}
                    for name, capacity, technology in self.profile.get("wastewater_works", ())]
        status = self.scenario["texts"]["works_status"]
        for row in rows:
            capacity = float(row.get("capacity_m3_day") or 0)
            row.setdefault("technology", self.profile["wastewater_works"][0][2]
                           if self.profile.get("wastewater_works") else "")
            row["volume_m3_year"] = _quantity(capacity * self.rng.randint(*WORKING_DAYS) * self.rng.uniform(0.45, 0.8))
            row["chemicals"] = self.profile.get("chemicals", "")
            row["status"] = self.rng.choice(status)
        tables["wastewater_works"] = rows
        if rows and "wastewater_monitoring" in self.tables and self.profile.get("wastewater"):
            point = self.codes.get("wastewater") or "Điểm xả sau hệ thống xử lý"
            tables["wastewater_monitoring"] = self._monitoring(
                "wastewater_monitoring", regime=self.profile["wastewater"], params=self.profile["wastewater_params"],
                places=[point], where_key="point", column=self.columns.get("wastewater", "B"))

    def _emissions(self, tables: dict, *, fresh: bool) -> None:
        if "emission_works" not in self.tables:
            return
        rows = tables.get("emission_works") or []
        if not rows and fresh:
            rows = [{"stack": stack, "source": source, "treatment": treatment, "flow_m3_h": _number(flow)}
                    for stack, source, treatment, flow in self.profile.get("emission_works", ())]
        sources = [w[1] for w in self.profile.get("emission_works", ())] or ["Lò hơi"]
        for index, row in enumerate(rows):
            row.setdefault("source", sources[index % len(sources)])
            row["status"] = self.rng.choice(self.scenario["texts"]["works_status"])
        tables["emission_works"] = rows
        if rows and "emission_monitoring" in self.tables and self.profile.get("emission"):
            stacks = [r["stack"] for r in rows][: 4 if self.entry.fill == "full" else 1]
            tables["emission_monitoring"] = self._monitoring(
                "emission_monitoring", regime=self.profile["emission"], params=self.profile["emission_params"],
                places=stacks, where_key="stack", column=self.columns.get("emissions", "B"))

    def _monitoring(self, table: str, *, regime: str, params: list[str], places: list[str], where_key: str,
                    column: str) -> list[dict]:
        """Periodic monitoring rows below the limits, except the entry's exceedances (explained)."""
        spec = self.scenario["regulations"][regime]
        column = column if column in ("A", "B") else "B"  # a column C permit is read as B here
        limits = {name: (unit, by_column) for name, unit, by_column in spec["parameters"]}
        wanted = [e for e in self.entry.exceedances if e["table"] == table]
        chosen = list(params) if self.entry.fill == "full" else list(params[:3])
        chosen += [e["parameter"] for e in wanted if e["parameter"] not in chosen]
        if self.entry.rounds:
            months = QUARTER_MONTHS[: self.entry.rounds]
        else:
            months = QUARTER_MONTHS if self.entry.fill == "full" else SMALL_MONTHS
        rows = []
        for round_no, month in enumerate(months, start=1):
            day = dt.date(self.report.year, month, self.rng.randint(8, 25))
            for place in places:
                for name in chosen:
                    if name not in limits:
                        raise DemoReportsError(f"{self.facility.tax_code}: no limit for {name!r} in {regime}")
                    unit, by_column = limits[name]
                    limit_text = by_column.get(column) or by_column["B"]
                    exceedance = next((e for e in wanted if e["parameter"] == name and e["round"] == round_no
                                       and place == places[0]), None)
                    rows.append({
                        "sampling_date": day.isoformat(), where_key: place, "parameter": name, "unit": unit,
                        "result": self._result(limit_text, exceedance), "limit": limit_text,
                        "regulation": f"{spec['regulation']}, cột {column}",
                        **({"explanation": exceedance["explanation"]} if exceedance else {})})
        return rows

    def _result(self, limit_text: str, exceedance: dict | None) -> str:
        limit = parse_limit(limit_text)
        if limit.lower is not None and limit.upper is not None:  # a range (pH): inside it
            span = float(limit.upper - limit.lower)
            return _number(float(limit.lower) + span * self.rng.uniform(0.3, 0.6), places=1)
        upper = float(limit.upper)
        value = upper * (float(exceedance["factor"]) if exceedance else self.rng.uniform(0.25, 0.75))
        return _number(value, places=0 if upper >= 1000 else 1 if upper >= 10 else 2)

    def _automatic(self, tables: dict) -> None:
        if "automatic_monitoring" not in self.tables or self.entry.fill != "full":
            return
        capacity = sum(float(r.get("capacity_m3_day") or 0) for r in tables.get("wastewater_works") or ())
        if capacity < AUTOMATIC_MONITORING_M3_DAY:
            return
        station = f"Trạm quan trắc nước thải tự động {self.codes.get('wastewater') or 'NT1'}"
        exceeded = {e["parameter"] for e in self.entry.exceedances if e["table"] == "wastewater_monitoring"}
        rows = []
        for name in ("Lưu lượng", "Nhiệt độ", "pH", "COD", "TSS", "Amoni"):
            error_pct = round(self.rng.uniform(0.6, 4.5), 1)
            rows.append({"station": station, "parameter": name, "design_count": VALUES_PER_YEAR,
                         "received_count": round(VALUES_PER_YEAR * (1 - error_pct / 100)),
                         "error_pct": _number(error_pct, places=1),
                         "exceedance_count": self.rng.randint(18, 40) if name in exceeded else 0,
                         **({"note": "Trùng thời gian sự cố đã giải trình tại mục 1.3"} if name in exceeded else {})})
        tables["automatic_monitoring"] = rows

    def _hazardous(self, tables: dict) -> None:
        if "hazardous_waste" not in self.tables:
            return
        items = list(self.profile["hazardous"])
        if self.entry.fill != "full":  # a few rows for the bulk facilities (fast to render)
            items = items[:2] + self.rng.sample(items[2:], min(len(items) - 2, self.rng.randint(0, 2)))
        receivers = self.scenario["receivers"]["hazardous"]
        rows = []
        for name, code, state, base, treatment in items:
            receiver, licence = self.rng.choice(receivers)
            rows.append({"waste_name": name, "ctnh_code": code, "state": state,
                         "quantity_kg": _quantity(self._vary(base, 0.7, 1.3)), "treatment_method": treatment,
                         "receiver": receiver, "receiver_licence": licence})
        tables["hazardous_waste"] = rows

    def _scrap(self, tables: dict) -> None:
        if "imported_scrap" in self.tables and self.entry.fill == "full":
            tables["imported_scrap"] = [
                {"scrap_type": kind, "hs_code": hs, "quantity_t": _quantity(self._vary(tonnes, 0.9, 1.1)),
                 "import_certificate": certificate}
                for kind, hs, tonnes, certificate in self.profile.get("imported_scrap", ())]

    def _remedies(self, tables: dict) -> None:
        for row in tables.get("remedies") or ():
            if not row.get("result"):
                row["result"] = "Đã hoàn thành" if row.get("completed_on") else "Đang thực hiện"

    def _leave_out(self, tables: dict) -> dict[str, list[dict]]:
        """Rows the first revision forgets (by CTNH code), put back by an "edit" step."""
        held: dict[str, list[dict]] = {}
        for key, codes in self.entry.leave_out.items():
            rows = tables.get(key) or []
            held[key] = [r for r in rows if r.get("ctnh_code") in codes]
            tables[key] = [r for r in rows if r.get("ctnh_code") not in codes]
            if not held[key]:
                raise DemoReportsError(f"{self.facility.tax_code}: leave_out {key} {codes} matches no row")
        return held


class _Loader:
    """Runs the scenario's entries through the services; counts what it did."""

    def __init__(self, scenario: dict):
        self.scenario = scenario
        self.pki = Path(settings.DEMO_PKI_DIR)
        self.password = demo_pki.DEMO_PASSWORD
        self._root: demo_pki.Issued | None = None
        self._p12: dict[str, bytes] = {}
        self.counts = {"reports": 0, "kept": 0, "submissions": 0, "reviews": 0, "users": 0, "certificates": 0}
        User = get_user_model()
        try:
            self.officer = User.objects.get(username=scenario["officer"], is_active=True)
        except User.DoesNotExist:
            raise DemoReportsError(f"the reviewing officer {scenario['officer']!r} does not exist; "
                                   "load the demo organisations and accounts first") from None

    # --- prerequisites ------------------------------------------------------------------
    @property
    def root(self) -> demo_pki.Issued:
        if self._root is None:
            self._root = demo_pki.load_root(self.pki)
        return self._root

    def root_is_trusted(self) -> bool:
        """Whether settings.REPORT_TRUST_ROOTS holds the demo root (else no demo signature verifies)."""
        from reports.signing.verify import settings_trust_roots

        der = self.root.cert.public_bytes(serialization.Encoding.DER)
        return any(cert.dump() == der for cert in settings_trust_roots())

    def facility(self, tax_code: str) -> Facility:
        try:
            return Facility.objects.select_related("owner_organisation", "sector").get(is_demo=True,
                                                                                         tax_code=tax_code)
        except Facility.DoesNotExist:
            raise DemoReportsError(f"no demo facility with tax code {tax_code}; load the demo layers first") from None

    def enterprise_user(self, facility: Facility):
        """The owner's account dn.<tax code>: the demo one, or one made for this demo (unusable password)."""
        from geoportal.accounts.services import user_create

        owner = facility.owner_organisation
        if owner is None or not owner.tax_code:
            raise DemoReportsError(f"facility {facility.tax_code} has no owner enterprise with a tax code")
        username = f"dn.{owner.tax_code}"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(actor=None, username=username, organisation=owner, roles=[Role.ENTERPRISE_USER],
                               password=None, email=f"{username}@demo.invalid", first_name=DEMO_USER_MARK,
                               last_name=owner.name[:150])
            self.counts["users"] += 1
        if user.organisation_id != owner.pk or Role.ENTERPRISE_USER not in user.roles or not user.is_active:
            raise DemoReportsError(f"the account {username} exists but is not an active enterprise account of "
                                   f"{owner.name}")
        return user

    def p12_for(self, report: Report) -> bytes:
        """The signer's PKCS#12: the committed demo file of the tax code, or one minted in memory."""
        from reports.services.workflow import expected_tax_code

        tax_code = expected_tax_code(report)
        if tax_code not in self._p12:
            path = self.pki / f"enterprise-{tax_code}.p12"
            if path.is_file():
                self._p12[tax_code] = path.read_bytes()
            else:
                self._p12[tax_code] = self._mint(report, tax_code)
        return self._p12[tax_code]

    def _mint(self, report: Report, tax_code: str) -> bytes:
        # A branch (tax code NNNNNNNNNN-NNN) signs with a certificate of its own, in its own name.
        name = report.facility.name if "-" in tax_code else report.organisation.name
        # Valid from a year back, so that it covers the season the scenario shows; 5 years.
        not_before = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=365)
        issued = demo_pki.mint(subject=demo_pki.enterprise_subject(name, tax_code), issuer=self.root,
                               not_before=not_before, not_after=not_before + dt.timedelta(days=CERTIFICATE_YEARS * 365))
        self.counts["certificates"] += 1
        return demo_pki.pkcs12_bytes(issued, chain=[self.root.cert], password=self.password, friendly_name=tax_code)

    # --- one entry ----------------------------------------------------------------------
    def run(self, entry: _Entry) -> None:
        from reports.services import workflow

        if entry.exempt:
            _check_exempt(entry)
            return
        facility = self.facility(entry.tax_code)
        if Report.objects.filter(facility=facility, year=entry.year).exists():
            self.counts["kept"] += 1
            return
        user = self.enterprise_user(facility)
        report = workflow.report_open(user=user, year=entry.year, facility=facility)
        data, held = _DataMaker(self.scenario, report=report, facility=facility, entry=entry).make()
        header = {"place": self.scenario.get("place", "Hải Phòng")}
        if entry.number:
            header["number"] = entry.number
        if entry.report_date:
            header["report_date"] = entry.report_date
        workflow.report_save_data(user=user, report=report, raw=data, header=header)
        if entry.opened:
            Report.objects.filter(pk=report.pk).update(created_at=entry.opened)
        self.counts["reports"] += 1
        for step in entry.steps:
            action = step["do"]
            if action == "submit":
                self._submit(report=report, user=user, at=_at(step["at"]), signing=step.get("signing", "portal"))
            elif action == "accept":
                workflow.report_accept(user=self.officer, report=report, note=step.get("note", ""))
                self._review_at(report, _at(step["at"]))
            elif action == "return":
                workflow.report_return(user=self.officer, report=report, reason=step["reason"])
                self._review_at(report, _at(step["at"]))
            elif action == "edit":
                self._edit(report=report, user=user, step=step, held=held)
            else:
                raise DemoReportsError(f"{entry.tax_code} {entry.year}: unknown step {action!r}")

    def _submit(self, *, report: Report, user, at: dt.datetime, signing: str) -> None:
        from reports.services import workflow
        from reports.signing.signers import Pkcs12Signer

        try:
            workflow.report_render(user=user, report=report)
        except workflow.ReportError as exc:
            raise DemoReportsError(f"{report}: the demo data does not pass validation: {exc}") from exc
        report.refresh_from_db()
        p12 = self.p12_for(report)
        if signing == "upload":  # signed with the enterprise's own tool, then uploaded
            signed = Pkcs12Signer(p12, self.password.encode(), use_settings_tsa=True).sign(
                workflow.rendered_bytes(report), field_name=SIGNATURE_FIELD, location=report.place or "Hải Phòng",
                reason=f"Báo cáo công tác bảo vệ môi trường năm {report.year}")
            workflow.report_submit_signed(user=user, report=report, signed=signed, signing_path=SigningPath.UPLOAD)
        else:
            workflow.report_sign_in_portal(user=user, report=report, p12=p12, password=self.password)
        self.counts["submissions"] += 1
        # Demo only: the Report's summary dates follow the scenario (the copy of record does not).
        dates = {"submitted_at": at}
        if report.submissions.count() == 1:
            dates["first_submitted_at"] = at
        Report.objects.filter(pk=report.pk).update(**dates)

    def _review_at(self, report: Report, at: dt.datetime) -> None:
        self.counts["reviews"] += 1
        Report.objects.filter(pk=report.pk).update(reviewed_at=at)

    def _edit(self, *, report: Report, user, step: dict, held: dict[str, list[dict]]) -> None:
        """The enterprise corrects a returned report: the rows the reviewer asked for are added."""
        from reports.services import workflow

        report.refresh_from_db()
        data = {"fields": dict(report.data.get("fields") or {}),
                "tables": {k: list(v) for k, v in (report.data.get("tables") or {}).items()}}
        key = step.get("put_back")
        if key:
            data["tables"][key] = [*data["tables"].get(key, []), *held.get(key, [])]
            for name, spec in field_specs(report.form.definition).items():
                if spec.get("total_of", "").startswith(f"{key}."):
                    data["fields"].pop(name, None)  # recomputed from the completed table
        header = {"report_date": _day(step["report_date"])} if step.get("report_date") else None
        workflow.report_save_data(user=user, report=report, raw=data, header=header)


def load_demo_reports(*, stdout=None) -> dict[str, Any]:
    """Load the demo reporting season (fixtures/demo/reports.json) through the report services.

    Loads the form definitions first (unchanged files write nothing). Entries whose report
    exists are kept, so a second call creates nothing. Runs in one transaction.

    :param stdout: where to write the one-line summary (a management command's stdout), or None.
    :returns: counts: reports, kept, submissions, reviews, users, certificates, seconds
        (or {"skipped": reason} when the demo CA is not a trusted root).
    """
    started = time.perf_counter()
    load_form_definitions()
    scenario = read_scenario()
    entries = _entries(scenario)
    pending = [e for e in entries if not e.exempt and not Report.objects.filter(
        facility__is_demo=True, facility__tax_code=e.tax_code, year=e.year).exists()]
    if not pending:
        for entry in entries:  # still check the exemptions: cheap, and writes nothing
            if entry.exempt:
                _check_exempt(entry)
        if stdout is not None:
            stdout.write(f"demo reports present ({len(entries) - sum(e.exempt for e in entries)}); nothing to do")
        return {"reports": 0, "kept": len([e for e in entries if not e.exempt]), "submissions": 0, "reviews": 0,
                "users": 0, "certificates": 0, "seconds": round(time.perf_counter() - started, 1)}
    with transaction.atomic():
        loader = _Loader(scenario)
        if not loader.root_is_trusted():
            message = ("demo reports skipped: the demo CA (fixtures/demo/pki) is not among REPORT_TRUST_ROOTS, "
                       "so no demo signature would verify")
            if stdout is not None:
                stdout.write(message)
            return {"skipped": message}
        for entry in entries:
            loader.run(entry)
    counts = dict(loader.counts)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    if stdout is not None:
        statuses = ", ".join(f"{n} {s}" for s, n in _statuses(entries).items())
        stdout.write(
            f"demo reports loaded in {counts['seconds']:.1f} s: {counts['reports']} reports ({statuses}), "
            f"{counts['submissions']} signed submissions, {counts['reviews']} reviews, "
            f"{counts['users']} new demo accounts, {counts['certificates']} certificates minted, "
            f"{counts['kept']} kept")
    return counts


def _check_exempt(entry: _Entry) -> None:
    """An entry marked exempt: the service must refuse its report (form_for() gives no form)."""
    facility = Facility.objects.filter(is_demo=True, tax_code=entry.tax_code).first()
    if facility is None:
        raise DemoReportsError(f"no demo facility with tax code {entry.tax_code}; load the demo layers first")
    if form_for(facility=facility, year=entry.year) is not None:
        raise DemoReportsError(f"facility {entry.tax_code} is listed as exempt but files a report")


def _statuses(entries: list[_Entry]) -> dict[str, int]:
    """How many of the scenario's reports are in each status (for the summary line)."""
    keys = {(e.tax_code, e.year) for e in entries if not e.exempt}
    rows = (Report.objects.filter(facility__is_demo=True, facility__tax_code__in={t for t, _ in keys})
            .values_list("facility__tax_code", "year", "status"))
    found: dict[str, int] = {}
    for tax_code, year, status in rows:
        if (tax_code, year) in keys:
            found[status] = found.get(status, 0) + 1
    return {ReportStatus(s).value: n for s, n in sorted(found.items())}


__all__ = ["DemoReportsError", "load_demo_reports", "read_scenario", "report_fixture_files", "scenario_path"]
