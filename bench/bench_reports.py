"""Annual report PDF: render a typical form 05.A report, sign it with a demo PKCS#12 and
verify it, with baselines measured in the same run:

- render: our `render_report_pdf` (official layout, bundled fonts, PostGIS map, measured
  column widths) against WeasyPrint rendering the same table rows as bare HTML tables
  (default stylesheet, no map, no fonts of ours);
- sign: our `Pkcs12Signer` (decrypts the uploaded .p12 each time, as the portal does)
  against pyHanko's `sign_pdf` with a signer loaded once;
- verify: our `verify_report_pdf` (prefix and revision check, pyHanko validation, the
  verdict rules, certificate facts) against pyHanko's bare `validate_pdf_signature`.

Targets (issue 5): render under 3 s and verify under 1 s on this 2-core machine.

The report lives in a transaction that is rolled back: nothing is left behind. It needs a
migrated database with the demo administrative units (`make bench-data`, or
`BENCH_DB=<a migrated database> .venv/bin/python bench/bench_reports.py`).
"""
from __future__ import annotations

import datetime as dt
import html
import io
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Production-like settings (DEBUG off) require the e-seal password; the demo one is enough here.
os.environ.setdefault("REPORT_ESEAL_PASSWORD", "HaiPhong@2025")

from common import setup, timed  # noqa: E402

setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign import signers  # noqa: E402
from pyhanko.sign.fields import SigSeedSubFilter  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402
from weasyprint import HTML  # noqa: E402

from geoportal.organisations.models import Organisation  # noqa: E402
from layers.models import Facility  # noqa: E402
from reports.models import FormDefinition, Report  # noqa: E402
from reports.pdf import render_report_pdf  # noqa: E402
from reports.pdf.samples import sample_data, sample_definition  # noqa: E402
from reports.signing.signers import Pkcs12Signer  # noqa: E402
from reports.signing.verify import settings_trust_roots, verify_report_pdf  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
CREATED = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
TAX_CODE = "0200000001"
P12 = Path(settings.DEMO_PKI_DIR) / f"enterprise-{TAX_CODE}.p12"
PASSWORD = b"HaiPhong@2025"
SIGN = {"field_name": "ChuKyDoanhNghiep", "reason": "Ký báo cáo", "location": "Hải Phòng"}


def pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, text=False).stdout.decode()
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def bare_html(data: dict) -> str:
    """Every table of the report as a plain HTML table, WeasyPrint's default stylesheet."""
    parts = ["<html><body>"]
    for key, rows in data["tables"].items():
        if not rows:
            continue
        columns = [c for c in rows[0] if c != "exceeds"]
        parts.append(f"<h2>{key}</h2><table border=1><thead><tr>")
        parts.extend(f"<th>{c}</th>" for c in columns)
        parts.append("</tr></thead><tbody>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(row.get(c, '')))}</td>" for c in columns) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts)


def make_report(data: dict) -> Report:
    definition = sample_definition("05.A")
    form = FormDefinition.objects.create(
        code="05.A", version="bench", applies_to="gpmt", title_vi=definition["title"]["vi"],
        legal_basis=definition["legal_basis"], effective_from=dt.date(2022, 1, 10), deadline_day=15,
        definition=definition, sha256="0" * 64)
    owner = Organisation.objects.filter(tax_code=TAX_CODE).first() or Organisation.objects.create(
        name="Công ty TNHH Thép Đình Vũ (bench)", kind="enterprise", tax_code=TAX_CODE)
    facility = Facility.objects.create(name="Nhà máy thép (bench)", owner_organisation=owner,
                                       geom=Point(106.7788, 20.8271, srid=4326), approval_status="approved")
    # Any year without a report of this facility (the facility is new, so 2025 is free).
    return Report.objects.create(facility=facility, organisation=owner, year=2025, form=form,
                                 due_before=dt.date(2026, 1, 15), data=data, number="12/BC-TDV", place="Hải Phòng")


def main() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('reports_report') IS NOT NULL")
        if not cur.fetchone()[0]:
            sys.exit(f"{connection.settings_dict['NAME']} has no reports tables: run `make bench-data` (it "
                     "migrates) or set BENCH_DB to a migrated database.")
    data = sample_data(hazardous_rows=150, monitoring_rows=40)
    rows = sum(len(v) for v in data["tables"].values())
    with transaction.atomic():
        report = make_report(data)
        rendered = render_report_pdf(report=report, created=CREATED)
        render_ms = timed(lambda: render_report_pdf(report=report, created=CREATED), repeat=REPEAT, warmup=1)
        transaction.set_rollback(True)
    bare = HTML(string=bare_html(data)).write_pdf()
    bare_ms = timed(lambda: HTML(string=bare_html(data)).write_pdf(), repeat=REPEAT, warmup=1)

    p12 = P12.read_bytes()
    signed = Pkcs12Signer(p12, PASSWORD, use_settings_tsa=False).sign(rendered, **SIGN)
    sign_ms = timed(lambda: Pkcs12Signer(p12, PASSWORD, use_settings_tsa=False).sign(rendered, **SIGN),
                    repeat=REPEAT, warmup=1)
    loaded = signers.SimpleSigner.load_pkcs12_data(p12, [], PASSWORD)
    meta = signers.PdfSignatureMetadata(field_name=SIGN["field_name"], subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")

    def bare_sign() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(rendered), strict=False)
        return signers.sign_pdf(writer, meta, signer=loaded, output=io.BytesIO()).getvalue()

    bare_sign_ms = timed(bare_sign, repeat=REPEAT, warmup=1)

    verdict = verify_report_pdf(signed, rendered=rendered, expected_tax_code=TAX_CODE)
    assert verdict.ok, verdict.message
    verify_ms = timed(lambda: verify_report_pdf(signed, rendered=rendered, expected_tax_code=TAX_CODE),
                      repeat=REPEAT, warmup=1)
    roots = settings_trust_roots()

    def bare_verify() -> bool:
        sig = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[0]
        return validate_pdf_signature(sig, ValidationContext(trust_roots=roots)).bottom_line

    assert bare_verify()
    bare_verify_ms = timed(bare_verify, repeat=REPEAT, warmup=1)

    print("\n== Annual report 05.A: render, sign, verify (median of "
          f"{REPEAT} runs after 1 warm-up; {os.cpu_count()} CPUs)")
    print(f"workload: form {report.form.code} ({sample_definition('05.A')['version']}), {rows} table rows "
          f"({len(data['tables']['hazardous_waste'])} hazardous-waste, "
          f"{len(data['tables']['wastewater_monitoring'])} + {len(data['tables']['emission_monitoring'])} monitoring)"
          f", {pages(rendered)} pages, {len(rendered) / 1024:.0f} kB; signed {len(signed) / 1024:.0f} kB "
          f"({verdict.details['level']}, RSA-2048, SHA-256)")
    print(f"{'step':42} {'ours ms':>9} {'base ms':>9} {'ratio':>7} {'target':>10}")
    for name, ours, base, target in (
        (f"render (baseline: bare tables, {pages(bare)} pages)", render_ms, bare_ms, 3000),
        ("sign (baseline: pyHanko, key preloaded)", sign_ms, bare_sign_ms, None),
        ("verify (baseline: validate_pdf_signature)", verify_ms, bare_verify_ms, 1000),
    ):
        verdict_txt = "" if target is None else f"< {target} ms {'ok' if ours < target else 'OVER'}"
        print(f"{name:42} {ours:9.1f} {base:9.1f} {ours / base:7.2f} {verdict_txt:>10}")
    t0 = time.perf_counter()
    with transaction.atomic():
        report = make_report(data)
        pdf = render_report_pdf(report=report, created=CREATED)
        transaction.set_rollback(True)
    signed = Pkcs12Signer(p12, PASSWORD, use_settings_tsa=False).sign(pdf, **SIGN)
    ok = verify_report_pdf(signed, rendered=pdf, expected_tax_code=TAX_CODE).ok
    print(f"end to end (create, render, sign, verify): {(time.perf_counter() - t0) * 1000:.0f} ms, verdict ok={ok}")


if __name__ == "__main__":
    main()
