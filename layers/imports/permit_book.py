"""The permit tracking book (sổ theo dõi giấy phép môi trường): the Excel sheet the
Department keeps today, imported into facilities, permits and discharge streams, and
exported back in the same layout.

    TT | Tên cơ sở | Địa chỉ | Loại hình sản xuất | Giấy phép số | Công suất |
    Nước thải (m3/ngày đêm) | Khí thải (m3/giờ) | CTR thông thường (kg/năm) | CTNH (kg/năm)

Between the data rows, year-group rows ("Năm 2023", "NĂM 2024": first cell only). The
permit cell holds number, symbol and date together: "123/GPMT-UBND ngày 12/3/2023",
"Số 45/GPMT-BTNMT, 05/01/2024", "GP số 7/GPMT-UBND ngày 7 tháng 2 năm 2023". Numbers
are written the Vietnamese way.

For each data row: the facility is found by its folded name (narrowed by the
commune/ward named in the address when several share the name) or created at the
centre of that commune/ward, flagged for review; the permit is found by its number
and symbol on that facility, or created; the issuer comes from the symbol's suffix
(BTNMT, BNNMT, UBND); the wastewater and emission flows go to its discharge streams.
Same dry run / all-or-nothing report as the feature importer.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.gis.db.models.functions import PointOnSurface
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.catalogues.models import CatalogueEntry
from geoportal.organisations.models import AdministrativeUnit
from geoportal.scopes import Action
from layers.choices import DischargeKind
from layers.imports.features import error_text, folded
from layers.imports.parsing import CellError, clean_text, find_date, fold, format_vn_number, is_blank, parse_number
from layers.imports.permissions import PERMIT_BOOK, check_may_import
from layers.imports.readers import MAX_ROWS, check_xlsx, detect_format, staged
from layers.imports.report import CREATE, REJECT, UNCHANGED, UPDATE, ImportRefused, ImportReport, RowReport
from layers.models import DischargeStream, Facility, Permit
from layers.services.features import feature_save
from layers.services.permits import permit_save

TITLE = "SỔ THEO DÕI GIẤY PHÉP MÔI TRƯỜNG"
HEADERS = ("TT", "Tên cơ sở", "Địa chỉ", "Loại hình sản xuất", "Giấy phép số", "Công suất",
           "Nước thải (m3/ngày đêm)", "Khí thải (m3/giờ)", "CTR thông thường (kg/năm)", "CTNH (kg/năm)")
FIELDS = ("tt", "name", "address", "activity", "permit", "capacity", "wastewater", "emissions",
          "solid_waste", "hazardous_waste")
# Folded header (its start) -> field. "tt"/"stt" must match exactly.
_HEADER_EXACT = {"tt": "tt", "stt": "tt"}
_HEADER_PREFIX = (
    ("ten co so", "name"), ("ten doanh nghiep", "name"), ("dia chi", "address"), ("loai hinh", "activity"),
    ("giay phep", "permit"), ("so giay phep", "permit"), ("cong suat", "capacity"), ("nuoc thai", "wastewater"),
    ("khi thai", "emissions"), ("ctr thong thuong", "solid_waste"), ("chat thai ran thong thuong", "solid_waste"),
    ("ctnh", "hazardous_waste"), ("chat thai nguy hai", "hazardous_waste"),
)
REQUIRED = ("name", "permit")
UNDATED_GROUP = "Chưa rõ năm"
ISSUER_BY_SUFFIX = {"BTNMT": "bo_tnmt", "BNNMT": "bo_nnmt", "UBND": "ubnd_tp"}
STREAMS = ((DischargeKind.WASTEWATER, "wastewater", "m³/day", "NT"), (DischargeKind.EMISSIONS, "emissions", "m³/h", "KT"))


# --- The permit cell ----------------------------------------------------------------------
@dataclass(frozen=True)
class PermitRef:
    number: str
    symbol: str
    signed_on: date | None

    @property
    def issuer_suffix(self) -> str:
        return fold(self.symbol.rsplit("-", 1)[-1]).upper() if "-" in self.symbol else ""

    @property
    def key(self) -> str:
        return fold(f"{self.number}/{self.symbol}" if self.symbol else self.number)


_NUMBER_SYMBOL = re.compile(r"(?<![\w/])(?P<number>\d[\w.]*)\s*/\s*(?P<symbol>[\wĐđ]+(?:\s*[/\-]\s*[\wĐđ]+)*)")


def parse_permit_cell(value: Any) -> PermitRef:
    """Number, symbol and date from one cell (see the module docstring)."""
    text = clean_text(value)
    for match in _NUMBER_SYMBOL.finditer(text):
        symbol = re.sub(r"\s+", "", match.group("symbol"))
        if not re.search(r"[^\W\d_]", symbol):
            continue  # "12/3/2023" is a date, not a number and symbol
        signed_on, _found = find_date(text[match.end():])
        return PermitRef(number=match.group("number"), symbol=symbol, signed_on=signed_on)
    raise CellError(_("no permit number and symbol (such as 123/GPMT-UBND) in “%(v)s”") % {"v": text[:80]})


def format_permit_cell(permit: Permit) -> str:
    text = permit.full_number
    return f"{text} ngày {permit.signed_on:%d/%m/%Y}" if permit.signed_on else text


# --- Reading the workbook -----------------------------------------------------------------
@dataclass
class BookRow:
    number: int
    cells: dict[str, Any]
    year: int | None = None
    year_label: str = ""


@dataclass
class Book:
    rows: list[BookRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _header_fields(values: tuple) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, value in enumerate(values):
        if is_blank(value):
            continue
        key = fold(value)
        name = _HEADER_EXACT.get(key) or next((f for prefix, f in _HEADER_PREFIX if key.startswith(prefix)), None)
        if name and name not in found.values():
            found[index] = name
    return found


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def read_permit_book(path) -> Book:
    """Rows of the first sheet: the header is found in the first 30 rows; year-group
    rows set the year of the rows below them."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types (zip, XML, key errors) for a damaged file
        raise ImportRefused(_("The file is not a valid Excel workbook (.xlsx).")) from None
    book = Book()
    try:
        sheet = workbook.worksheets[0]
        columns: dict[int, str] = {}
        year: int | None = None
        year_label = ""
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = tuple(values or ())
            if not columns:
                found = _header_fields(values)
                if set(REQUIRED) <= set(found.values()):
                    columns = found
                elif number >= 30:
                    break
                continue
            filled = [i for i, v in enumerate(values) if not is_blank(v)]
            if not filled:
                continue
            if filled == [0]:
                if isinstance(values[0], (int, float)) or re.fullmatch(r"\d+\.?", clean_text(values[0])):
                    continue  # a numbered row left empty
                year_label = clean_text(values[0])
                match = _YEAR.search(year_label)
                year = int(match.group(1)) if match else None
                continue
            if len(book.rows) >= MAX_ROWS:
                raise ImportRefused(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            cells = {name: values[i] if i < len(values) else None for i, name in columns.items()}
            book.rows.append(BookRow(number=number, cells=cells, year=year, year_label=year_label))
        if not columns:
            raise ImportRefused(_("No header row with “Tên cơ sở” and “Giấy phép số” in the first 30 rows."))
    finally:
        workbook.close()
    return book


# --- Places -------------------------------------------------------------------------------
_KIND_WORDS = {"phuong": r"(?:phuong|p\.)", "xa": r"(?:xa|x\.)", "dac_khu": r"(?:dac khu)"}


@dataclass
class _Unit:
    """An administrative unit as the address matcher needs it."""

    id: int
    name: str
    kind: str
    pos: Any = None
    folded: str = ""
    bare: re.Pattern | None = None       # the name as a whole word
    prefixed: re.Pattern | None = None   # "phường <name>", "xã <name>", "đặc khu <name>"

    def __post_init__(self):
        self.folded = fold(self.name)
        name = re.escape(self.folded)
        self.bare = re.compile(rf"(?<![a-z0-9]){name}(?![a-z0-9])")
        self.prefixed = re.compile(rf"(?<![a-z0-9]){_KIND_WORDS.get(self.kind, '(?!)')}\s*{name}(?![a-z0-9])")


def find_unit(address: str, units: list[_Unit]) -> tuple[_Unit | None, str]:
    """The commune/ward named in an address (folded match, the kind word preferred,
    then the longest name): (unit, "") or (None, why not)."""
    text = fold(address)
    if not text:
        return None, _("the address is empty")
    hits: list[tuple[bool, int, _Unit]] = []
    for unit in units:
        if unit.bare.search(text):
            hits.append((unit.prefixed.search(text) is not None, len(unit.folded), unit))
    if not hits:
        return None, _("no commune or ward of Hai Phong is named in the address")
    best = max(hits, key=lambda h: (h[0], h[1]))
    rivals = [h for h in hits if (h[0], h[1]) == (best[0], best[1]) and h[2].id != best[2].id]
    if rivals:
        names = ", ".join(sorted({h[2].name for h in [best, *rivals]}))
        return None, _("the address names several communes or wards (%(names)s)") % {"names": names}
    return best[2], ""


# --- Writes without a service elsewhere ---------------------------------------------------
@transaction.atomic
def discharge_stream_save(*, actor, stream: DischargeStream, values: dict[str, Any]) -> DischargeStream:
    """Create or update a discharge stream of a permit; validated and audited."""
    created = stream.pk is None
    before = {} if created else snapshot(DischargeStream.objects.get(pk=stream.pk))
    for key, value in values.items():
        setattr(stream, key, value)
    stream.full_clean()
    stream.save()
    audit_record(actor=actor, action=f"dischargestream.{'create' if created else 'update'}", obj=stream,
                 changes=diff(before, snapshot(stream)))
    return stream


# --- The importer -------------------------------------------------------------------------
class PermitBookImporter:
    """Imports the rows of a read book (see the module docstring), one savepoint per row."""

    def __init__(self, *, actor, book: Book, dry_run: bool):
        self.actor, self.book, self.dry_run = actor, book, dry_run
        self.report = ImportReport(kind="permit-book", layer=PERMIT_BOOK, file_format="xlsx", dry_run=dry_run,
                                   notes=list(book.notes))
        self.units = [_Unit(u.pk, u.name, u.kind, u.pos) for u in
                      AdministrativeUnit.objects.annotate(pos=PointOnSurface("geom")).only("id", "name", "kind")]
        self.issuers = dict(CatalogueEntry.objects.filter(catalogue__code="issuing_authorities",
                                                          code__in=ISSUER_BY_SUFFIX.values())
                            .values_list("code", "pk"))
        self.facilities: dict[str, list[Facility]] = {}   # folded name -> facilities in scope
        self.permits: dict[int, list[Permit]] = {}        # facility id -> its permits
        self.seen: dict[tuple[int, str], int] = {}        # (facility id, permit key) -> row
        self._created: list[tuple[str, Any]] = []          # what the current row created
        self._row_number = 0

    def run(self) -> ImportReport:
        with transaction.atomic():
            self._load({fold(clean_text(r.cells.get("name"))) for r in self.book.rows})
            for row in self.book.rows:
                self.report.add(self._row(row))
            self.report.conclude(dry_run=self.dry_run)
        return self.report

    def _load(self, names: set[str]) -> None:
        """Facilities with these names in the actor's scope, and their permits (two queries)."""
        names.discard("")
        facilities = list(Facility.objects.for_user(self.actor, Action.CHANGE).annotate(_folded=folded("name"))
                          .filter(_folded__in=names).order_by("pk"))
        for facility in facilities:
            self.facilities.setdefault(facility._folded, []).append(facility)
        permits = (Permit.objects.for_user(self.actor, Action.CHANGE).filter(facility__in=facilities)
                   .prefetch_related("discharge_streams").order_by("pk"))
        for permit in permits:
            self.permits.setdefault(permit.facility_id, []).append(permit)

    def _row(self, row: BookRow) -> RowReport:
        self._row_number = row.number
        name = clean_text(row.cells.get("name"))
        report = RowReport(row=row.number, label=name[:120])
        if not name:
            report.reject(_("column “%(column)s” is required") % {"column": HEADERS[1]})
            return report
        parsed = self._parse(row, report)
        if report.outcome == REJECT:
            return report
        self._created = []
        try:
            with transaction.atomic():  # a savepoint: a row rejected midway leaves nothing
                self._apply(row, report, name, parsed)
                if report.outcome == REJECT:
                    raise _RowFailed
        except _RowFailed:
            self._forget()
        except (ValidationError, PermissionDenied, IntegrityError, DataError) as exc:
            self._forget()
            report.reject(error_text(exc))
        return report

    def _forget(self) -> None:
        """Drop from the caches what the rolled-back row created."""
        for kind, obj in self._created:
            if kind == "facility":
                self.facilities[fold(obj.name)] = [f for f in self.facilities.get(fold(obj.name), []) if f is not obj]
                self.permits.pop(obj.pk, None)
            else:
                self.permits[obj.facility_id] = [p for p in self.permits.get(obj.facility_id, []) if p is not obj]
        self.seen = {k: v for k, v in self.seen.items() if v != self._row_number}

    def _parse(self, row: BookRow, report: RowReport) -> dict[str, Any]:
        out: dict[str, Any] = {}
        try:
            out["ref"] = parse_permit_cell(row.cells.get("permit"))
        except CellError as exc:
            report.reject(_("column “%(column)s”: %(error)s") % {"column": HEADERS[4], "error": exc})
        for key, header in (("wastewater", HEADERS[6]), ("emissions", HEADERS[7]),
                            ("solid_waste", HEADERS[8]), ("hazardous_waste", HEADERS[9])):
            try:
                reading = parse_number(row.cells.get(key))
            except CellError as exc:
                report.reject(_("column “%(column)s”: %(error)s") % {"column": header, "error": exc})
                continue
            if reading is not None:
                if reading.value < 0:
                    report.reject(_("column “%(column)s”: a quantity cannot be negative") % {"column": header})
                    continue
                out[key] = reading.value
                if reading.note:
                    note = _("column “%(column)s”: %(note)s") % {"column": header, "note": reading.note}
                    report.review(note)
                    out.setdefault("notes", []).append(note)
        for key in ("address", "activity", "capacity"):
            out[key] = clean_text(row.cells.get(key))
        return out

    # --- facility, permit, streams ------------------------------------------------------
    def _apply(self, row: BookRow, report: RowReport, name: str, parsed: dict[str, Any]) -> None:
        facility, created = self._facility(report, name, parsed)
        if facility is None:
            return
        changed = created
        ref: PermitRef = parsed["ref"]
        key = (facility.pk, ref.key)
        if key in self.seen:
            report.reject(_("The same permit as row %(row)d.") % {"row": self.seen[key]})
            return
        self.seen[key] = row.number
        permit, permit_created, permit_changed = self._permit(row, report, facility, ref, parsed)
        created = created or permit_created
        changed = changed or permit_changed
        changed = self._streams(report, permit, parsed) or changed
        report.object_id = None if self.dry_run else permit.pk
        report.outcome = CREATE if created else UPDATE if changed else UNCHANGED

    def _facility(self, report: RowReport, name: str, parsed: dict[str, Any]) -> tuple[Facility | None, bool]:
        candidates = self.facilities.get(fold(name), [])
        unit, why = find_unit(parsed["address"], self.units) if parsed["address"] else (None, "")
        if len(candidates) > 1 and unit is not None:
            candidates = [c for c in candidates if c.admin_unit_id == unit.id] or candidates
        if len(candidates) > 1:
            report.reject(_("Several facilities are named “%(name)s” (%(ids)s): give them distinct names or "
                            "addresses first.") % {"name": name, "ids": ", ".join(f"#{c.pk}" for c in candidates)})
            return None, False
        values = {k: parsed[k] for k in ("address", "activity", "capacity") if parsed[k]}
        if candidates:
            facility = candidates[0]
            changes = {k: v for k, v in values.items() if getattr(facility, k) != v}
            if changes:
                facility = feature_save(actor=self.actor, obj=facility, values=changes)
                self._cache(facility)
                return facility, False
            return facility, False
        if unit is None:
            report.reject(_("New facility “%(name)s” cannot be placed: %(why)s.")
                          % {"name": name, "why": why or _("the address is empty")})
            return None, False
        note = _("provisional location: centre of the commune/ward")
        report.review(note)
        facility = Facility(name=name, geom=unit.pos, source_srid=4326, needs_review=True, review_note=note,
                            **values)
        facility = feature_save(actor=self.actor, obj=facility)
        self._cache(facility)
        self._created.append(("facility", facility))
        return facility, True

    def _cache(self, facility: Facility) -> None:
        bucket = self.facilities.setdefault(fold(facility.name), [])
        if all(f.pk != facility.pk for f in bucket):
            bucket.append(facility)
        self.permits.setdefault(facility.pk, [])

    def _permit(self, row: BookRow, report: RowReport, facility: Facility, ref: PermitRef,
                parsed: dict[str, Any]) -> tuple[Permit, bool, bool]:
        existing = next((p for p in self.permits.get(facility.pk, []) if fold(p.full_number) == ref.key), None)
        new = existing is None
        values: dict[str, Any] = {"number": ref.number, "symbol": ref.symbol} if new else {}
        # Review notes about what the book says (an existing permit's own gaps are not news).
        notes: list[str] = list(parsed.get("notes", []))
        if ref.signed_on is not None:
            values["signed_on"] = ref.signed_on
            if row.year and ref.signed_on.year != row.year:
                notes.append(_("signed in %(signed)d but listed under “%(group)s”")
                             % {"signed": ref.signed_on.year, "group": row.year_label})
        elif new:
            notes.append(_("signing date missing; the year group gives %(year)d") % {"year": row.year}
                         if row.year else _("signing date missing"))
        issuer_code = ISSUER_BY_SUFFIX.get(ref.issuer_suffix)
        issuer_id = self.issuers.get(issuer_code) if issuer_code else None
        if issuer_id is None:
            if new:
                notes.append(_("issuing authority unknown for the symbol “%(symbol)s”") % {"symbol": ref.symbol})
        elif new or existing.issuer_id is None:
            values["issuer_id"] = issuer_id
        elif existing.issuer_id != issuer_id:
            notes.append(_("the symbol “%(symbol)s” suggests another issuing authority than the one recorded")
                         % {"symbol": ref.symbol})
        for key, attr in (("solid_waste", "industrial_solid_waste_kg_year"),
                          ("hazardous_waste", "hazardous_waste_kg_year")):
            if key in parsed:
                values[attr] = parsed[key]
        for note in notes:
            if note not in report.messages:
                report.review(note)
        if not new:
            changes = {k: v for k, v in values.items() if getattr(existing, k) != v}
            if not changes:
                return existing, False, False
            if notes:
                changes["needs_review"] = True
                changes["review_note"] = "; ".join(filter(None, [existing.review_note, *notes]))[:1000]
            permit = permit_save(actor=self.actor, permit=existing, values=changes)
            return permit, False, True
        if notes:
            values["needs_review"], values["review_note"] = True, "; ".join(notes)[:1000]
        permit = permit_save(actor=self.actor, permit=Permit(facility=facility), values=values)
        self.permits.setdefault(facility.pk, []).append(permit)
        self._created.append(("permit", permit))
        return permit, True, False

    def _streams(self, report: RowReport, permit: Permit, parsed: dict[str, Any]) -> bool:
        changed = False
        streams = list(permit.discharge_streams.all()) if permit.pk else []
        for kind, key, unit, prefix in STREAMS:
            flow: Decimal | None = parsed.get(key)
            if flow is None:
                continue
            mine = [s for s in streams if s.kind == kind]
            if not mine:
                discharge_stream_save(actor=self.actor, stream=DischargeStream(permit=permit), values={
                    "kind": kind, "code": f"{prefix}1", "max_flow": flow, "flow_unit": unit})
                changed = True
            elif len(mine) == 1:
                if mine[0].max_flow != flow:
                    discharge_stream_save(actor=self.actor, stream=mine[0], values={"max_flow": flow})
                    changed = True
            elif sum((s.max_flow or 0) for s in mine) != flow:
                report.review(_("%(n)d %(kind)s streams: the total %(flow)s was not split among them")
                              % {"n": len(mine), "kind": kind.label.lower(), "flow": format_vn_number(flow)})
        return changed


class _RowFailed(Exception):
    """A row rejected midway: its savepoint is rolled back."""


def permit_book_import(*, actor, source, original_name: str, dry_run: bool = True) -> ImportReport:
    """Import the permit book (.xlsx): a dry run by default, or the real all-or-nothing
    import. Raises ImportRefused for a refused file, PermissionDenied for the actor."""
    check_may_import(actor, PERMIT_BOOK)
    detect_format(original_name, allowed=("xlsx",))
    with staged(source, fmt="xlsx") as path:
        check_xlsx(path)
        book = read_permit_book(path)
    return PermitBookImporter(actor=actor, book=book, dry_run=dry_run).run()


# --- Export -------------------------------------------------------------------------------
def _sum(kind: str) -> Sum:
    return Sum("discharge_streams__max_flow", filter=Q(discharge_streams__kind=kind))


def export_permit_book(queryset) -> bytes:
    """The permits of `queryset` (scope it with Permit.objects.for_user) as the book:
    year groups, number and date in one cell, Vietnamese number formatting. The
    import reads it back unchanged."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    permits = (queryset.filter(facility__isnull=False).select_related("facility")
               .annotate(_wastewater=_sum(DischargeKind.WASTEWATER), _emissions=_sum(DischargeKind.EMISSIONS))
               .order_by("signed_on", "facility__name", "number", "pk"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi GPMT"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    right = Alignment(horizontal="right")
    group: object = object()
    number = 0
    for permit in permits:
        year = permit.signed_on.year if permit.signed_on else None
        if year != group:
            group = year
            sheet.append([f"Năm {year}" if year else UNDATED_GROUP])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        number += 1
        facility = permit.facility
        sheet.append([
            number, facility.name, facility.address, facility.activity, format_permit_cell(permit),
            facility.capacity, format_vn_number(permit._wastewater), format_vn_number(permit._emissions),
            format_vn_number(permit.industrial_solid_waste_kg_year), format_vn_number(permit.hazardous_waste_kg_year),
        ])
        for column in range(7, 11):
            sheet.cell(row=sheet.max_row, column=column).alignment = right
    for letter, width in zip("ABCDEFGHIJ", (6, 36, 40, 26, 34, 22, 14, 14, 16, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
