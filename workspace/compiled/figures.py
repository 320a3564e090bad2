"""The blocks of figures of the compiled reports, each from recorded SQL (workspace.compiled.sources).

Every block takes a `Context`: the year and the querysets that make the scope (the city for
Mẫu 03, the board's zones for Mẫu 02), already narrowed by the user's permissions. Each
query embeds the scope as the compiled SQL of those querysets (an id sub-select), so its
text alone reproduces the figure.

Which reports count: those of the year whose status is one of `counted_statuses` (from the
structure file; submitted or accepted by default), with the data of their latest submission,
the copy of record (reports.analytics does the same). A report returned for correction, or
a draft, does not count. The aggregation of the report tables reuses reports.analytics: its
source CTE, its row expansion and its rule that only canonical decimal strings are summed.

What the register counts: approved entries (Article 7 of the Hai Phong regulation); facilities
that are not closed. Dates are Vietnam's calendar (UTC+7).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import translation

from geoportal.catalogues.models import CatalogueEntry
from layers.choices import ApprovalStatus, FacilityStatus, PermitClass, ZoneKind
from layers.models import Facility, IndustrialZone, Inspection, Permit, Remedy
from layers.querysets import PermitQuerySet
from monitoring.choices import StationKind
from monitoring.domain.tables import load_aqi_table
from monitoring.domain.windows import DEFAULT_MIN_COVERAGE, LOCAL_TZ, WINDOWS, required_count
from monitoring.models import ExceedanceEvent, LimitSet, LimitValue, Parameter, Reading, Station
from monitoring.selectors import hourly_means_sql, local_midnight, readings_source
from monitoring.services.aqi import days_of_aqi
from reports.analytics import MEASURES, ROWS_SQL, measure_sql, source_cte
from reports.models import Report
from reports.selectors import filing_facilities, filing_zones
from workspace.compiled.document import Block
from workspace.compiled.sources import SourceLog

APPROVED = ApprovalStatus.APPROVED.value
CLOSED = FacilityStatus.CLOSED.value
TOTAL = "Tổng cộng"
NOT_SPECIFIED = "Chưa xác định"
PM_CODES = ("PM2.5", "PM10")

_F = Facility._meta.db_table
_Z = IndustrialZone._meta.db_table
_E = CatalogueEntry._meta.db_table
_R = Report._meta.db_table
_P = Permit._meta.db_table
_I = Inspection._meta.db_table
_RM = Remedy._meta.db_table
_S = Station._meta.db_table
_X = ExceedanceEvent._meta.db_table
_LS = LimitSet._meta.db_table
_LV = LimitValue._meta.db_table
_PA = Parameter._meta.db_table


@dataclass
class Context:
    """What a compiled report covers: the year and the scope, as querysets the user may see."""

    year: int
    log: SourceLog
    facilities: QuerySet  # Facility
    zones: QuerySet  # IndustrialZone
    reports: QuerySet  # Report of the year
    permits: QuerySet  # Permit
    inspections: QuerySet  # Inspection
    stations: QuerySet  # Station
    counted_statuses: tuple[str, ...]
    ambient_limit_set: str = ""

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def counted_reports(self) -> QuerySet:
        return self.reports.filter(status__in=self.counted_statuses, first_submitted_at__isnull=False)


def ids_sql(queryset: QuerySet) -> tuple[str, list]:
    """The SQL (and parameters) of the ids of `queryset`, for `id IN (...)`."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that can see nothing compiles to no SQL
        return "SELECT NULL::bigint WHERE FALSE", []
    return sql, list(params)


def _vi_label(choices, value) -> str:
    """A choice's label in Vietnamese (the document's language), or the raw value."""
    if value in (None, ""):
        return NOT_SPECIFIED
    try:
        with translation.override("vi"):
            return str(choices(value).label)
    except ValueError:
        return str(value)


# --- The register ---------------------------------------------------------------------

def facilities_by_sector(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.facilities)
    q = ctx.log.run(
        "Cơ sở trong phạm vi báo cáo (đã phê duyệt, chưa đóng cửa), đếm theo ngành nghề (danh mục ngành).",
        f"SELECT GROUPING(ce.id, ce.name_vi) > 0 AS is_total, ce.id AS sector_id, ce.name_vi AS sector, "
        f"COUNT(*) AS value FROM {_F} f LEFT JOIN {_E} ce ON ce.id = f.sector_id "
        f"WHERE f.id IN ({ids}) AND f.approval_status = %s AND f.status <> %s "
        f"GROUP BY GROUPING SETS ((ce.id, ce.name_vi), ()) ORDER BY is_total, value DESC, sector NULLS LAST",
        params + [APPROVED, CLOSED])
    block = Block("facilities_by_sector", "Số cơ sở theo ngành nghề", ["Ngành nghề", "Số cơ sở"])
    for row in q.rows:
        if row["is_total"]:
            continue
        name = row["sector"] or NOT_SPECIFIED
        block.rows.append([name, ctx.log.figure(q, f"facilities.sector.{row['sector_id']}",
                                                f"Số cơ sở, ngành {name}", unit="cơ sở",
                                                row={"is_total": False, "sector_id": row["sector_id"]})])
    block.rows.append([TOTAL, ctx.log.figure(q, "facilities.total", "Tổng số cơ sở", unit="cơ sở",
                                             row={"is_total": True}, missing=0)])
    block.total_rows = 1
    return block


def facilities_by_permit_class(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.facilities)
    q = ctx.log.run(
        "Cơ sở trong phạm vi báo cáo (đã phê duyệt, chưa đóng cửa), đếm theo loại thủ tục môi trường "
        "(giấy phép môi trường, đăng ký môi trường, miễn).",
        f"SELECT GROUPING(f.permit_class) > 0 AS is_total, f.permit_class, COUNT(*) AS value FROM {_F} f "
        f"WHERE f.id IN ({ids}) AND f.approval_status = %s AND f.status <> %s "
        f"GROUP BY GROUPING SETS ((f.permit_class), ()) ORDER BY is_total, f.permit_class",
        params + [APPROVED, CLOSED])
    block = Block("facilities_by_permit_class", "Số cơ sở theo loại thủ tục môi trường",
                  ["Loại thủ tục", "Số cơ sở"])
    for value in PermitClass.values:
        label = _vi_label(PermitClass, value)
        block.rows.append([label, ctx.log.figure(q, f"facilities.permit_class.{value}", f"Số cơ sở: {label}",
                                                 unit="cơ sở", row={"is_total": False, "permit_class": value},
                                                 missing=0)])
    block.rows.append([TOTAL, ctx.log.figure(q, "facilities.permit_class.total", "Tổng số cơ sở (theo loại thủ tục)",
                                             unit="cơ sở", row={"is_total": True}, missing=0)])
    block.total_rows = 1
    return block


def zones_overview(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.zones)
    q = ctx.log.run(
        "Các khu (đã phê duyệt) trong phạm vi báo cáo: diện tích, tỷ lệ lấp đầy, công suất trạm xử lý nước "
        "thải tập trung và số cơ sở trong khu (đã phê duyệt, chưa đóng cửa); dòng tổng cộng.",
        f"WITH z AS (SELECT z.id, z.name, z.kind, z.area_ha, z.occupancy_pct, z.cwwtp_capacity_m3_day, "
        f"(SELECT COUNT(*) FROM {_F} f WHERE f.zone_id = z.id AND f.approval_status = %s AND f.status <> %s) "
        f"AS facilities FROM {_Z} z WHERE z.id IN ({ids}) AND z.approval_status = %s) "
        "SELECT GROUPING(id, name, kind) > 0 AS is_total, id AS zone_id, name, kind, COUNT(*) AS zones, "
        "SUM(area_ha) AS area_ha, MAX(occupancy_pct) AS occupancy_pct, "
        "SUM(cwwtp_capacity_m3_day) AS cwwtp_capacity_m3_day, SUM(facilities) AS facilities "
        "FROM z GROUP BY GROUPING SETS ((id, name, kind), ()) ORDER BY is_total, name",
        [APPROVED, CLOSED] + params + [APPROVED])
    block = Block("zones_overview", "Các khu kinh tế, khu công nghiệp",
                  ["Khu", "Loại", "Diện tích (ha)", "Tỷ lệ lấp đầy (%)", "Công suất XLNT tập trung (m³/ngày đêm)",
                   "Số cơ sở"])
    for row in q.rows:
        if row["is_total"]:
            continue
        sel = {"is_total": False, "zone_id": row["zone_id"]}
        name = row["name"]
        block.rows.append([
            name, _vi_label(ZoneKind, row["kind"]),
            ctx.log.figure(q, f"zones.{row['zone_id']}.area", f"Diện tích {name}", unit="ha", row=sel,
                           column="area_ha"),
            ctx.log.figure(q, f"zones.{row['zone_id']}.occupancy", f"Tỷ lệ lấp đầy {name}", unit="%", row=sel,
                           column="occupancy_pct"),
            ctx.log.figure(q, f"zones.{row['zone_id']}.cwwtp", f"Công suất XLNT tập trung {name}",
                           unit="m³/ngày đêm", row=sel, column="cwwtp_capacity_m3_day"),
            ctx.log.figure(q, f"zones.{row['zone_id']}.facilities", f"Số cơ sở trong {name}", unit="cơ sở",
                           row=sel, column="facilities"),
        ])
    total = {"is_total": True}
    block.rows.append([
        ctx.log.figure(q, "zones.total", "Số khu", unit="khu", row=total, column="zones", missing=0), "",
        ctx.log.figure(q, "zones.total.area", "Tổng diện tích các khu", unit="ha", row=total, column="area_ha"),
        "",
        ctx.log.figure(q, "zones.total.cwwtp", "Tổng công suất XLNT tập trung", unit="m³/ngày đêm", row=total,
                       column="cwwtp_capacity_m3_day"),
        ctx.log.figure(q, "zones.total.facilities", "Tổng số cơ sở trong các khu", unit="cơ sở", row=total,
                       column="facilities", missing=0),
    ])
    block.total_rows = 1
    block.note = "Dòng cuối: số khu và các tổng cộng."
    return block


def permits(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.permits)
    start, end = ctx.first_day, ctx.last_day
    # Expiry: the written date, else signing date + term − 1 day (layers.domain.permits).
    # Superseded: a re-issued permit signed on or before the day (a successor without a
    # signing date counts as superseding, as PermitQuerySet.in_force_on has it).
    q = ctx.log.run(
        "Giấy phép môi trường (đã phê duyệt) trong phạm vi báo cáo: cấp trong năm (ngày ký trong năm); còn hiệu "
        "lực ngày 31/12 (đã ký, chưa hết hạn, chưa bị thu hồi, chưa được thay thế); hết hạn trong năm (ngày hết "
        "hạn trong năm, không bị thu hồi hay thay thế trước đó); bị thu hồi trong năm.",
        f"WITH p AS (SELECT p.id, p.signed_on, p.revoked_on, {PermitQuerySet.expiry_sql('p')} AS expiry FROM {_P} p "
        f"WHERE p.id IN ({ids}) AND p.approval_status = %s) "
        "SELECT COUNT(*) FILTER (WHERE p.signed_on BETWEEN %s AND %s) AS granted, "
        "COUNT(*) FILTER (WHERE p.signed_on <= %s AND p.expiry >= %s AND (p.revoked_on IS NULL OR p.revoked_on > %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {_P} s WHERE s.supersedes_id = p.id AND (s.signed_on IS NULL OR "
        "s.signed_on <= %s))) AS valid, "
        "COUNT(*) FILTER (WHERE p.expiry BETWEEN %s AND %s AND (p.revoked_on IS NULL OR p.revoked_on > p.expiry) "
        f"AND NOT EXISTS (SELECT 1 FROM {_P} s WHERE s.supersedes_id = p.id AND (s.signed_on IS NULL OR "
        "s.signed_on <= p.expiry))) AS expired, "
        "COUNT(*) FILTER (WHERE p.revoked_on BETWEEN %s AND %s) AS revoked FROM p",
        params + [APPROVED, start, end, end, end, end, end, start, end, start, end])
    block = Block("permits", f"Giấy phép môi trường năm {ctx.year}", ["Chỉ tiêu", "Số giấy phép"])
    for column, label in (("granted", "Cấp trong năm"), ("valid", f"Còn hiệu lực ngày 31/12/{ctx.year}"),
                          ("expired", "Hết hạn trong năm"), ("revoked", "Bị thu hồi trong năm")):
        block.rows.append([label, ctx.log.figure(q, f"permits.{column}", f"Giấy phép môi trường: {label.lower()}",
                                                 unit="giấy phép", column=column)])
    return block


def inspections(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.inspections)
    start, end = ctx.first_day, ctx.last_day
    q = ctx.log.run(
        "Thanh tra, kiểm tra (đã phê duyệt) trong phạm vi báo cáo có ngày trong năm: số cuộc, số cuộc có xử phạt, "
        "tổng tiền phạt; các yêu cầu khắc phục của các cuộc đó và số đã hoàn thành (trạng thái hiện tại); các yêu "
        "cầu khắc phục (của mọi cuộc trong phạm vi) hoàn thành trong năm.",
        f"WITH i AS (SELECT id, penalty_vnd FROM {_I} WHERE id IN ({ids}) AND approval_status = %s "
        "AND inspected_on BETWEEN %s AND %s) "
        "SELECT (SELECT COUNT(*) FROM i) AS inspections, "
        "(SELECT COUNT(*) FROM i WHERE penalty_vnd > 0) AS penalised, "
        "(SELECT COALESCE(SUM(penalty_vnd), 0) FROM i) AS penalty_vnd, "
        f"(SELECT COUNT(*) FROM {_RM} r JOIN i ON i.id = r.inspection_id) AS remedies, "
        f"(SELECT COUNT(*) FROM {_RM} r JOIN i ON i.id = r.inspection_id WHERE r.status = 'done') AS remedies_done, "
        f"(SELECT COUNT(*) FROM {_RM} r WHERE r.inspection_id IN ({ids}) AND r.completed_on BETWEEN %s AND %s) "
        "AS remedies_completed",
        params + [APPROVED, start, end] + params + [start, end])
    block = Block("inspections", f"Thanh tra, kiểm tra năm {ctx.year}", ["Chỉ tiêu", "Giá trị", "Đơn vị"])
    for column, label, unit in (
            ("inspections", "Số cuộc thanh tra, kiểm tra", "cuộc"),
            ("penalised", "Số cuộc có xử phạt vi phạm hành chính", "cuộc"),
            ("penalty_vnd", "Tổng tiền phạt", "đồng"),
            ("remedies", "Số yêu cầu khắc phục đặt ra", "yêu cầu"),
            ("remedies_done", "Trong đó đã hoàn thành (đến nay)", "yêu cầu"),
            ("remedies_completed", "Số yêu cầu khắc phục hoàn thành trong năm", "yêu cầu")):
        block.rows.append([label, ctx.log.figure(q, f"inspections.{column}", label, unit=unit, column=column), unit])
    return block


# --- The annual reports of the facilities -----------------------------------------------

def reports_status(ctx: Context) -> Block:
    facility_ids, fparams = ids_sql(filing_facilities().filter(pk__in=ctx.facilities.values("pk"),
                                                               approval_status=APPROVED))
    zone_ids, zparams = ids_sql(filing_zones().filter(pk__in=ctx.zones.values("pk"), approval_status=APPROVED))
    year = ctx.year
    due = ctx.log.run(
        "Đối tượng phải nộp báo cáo năm (theo sổ đăng ký hiện tại, mục đã phê duyệt): cơ sở có giấy phép hoặc đăng "
        "ký môi trường đang hoạt động hoặc vận hành thử, và khu có chủ đầu tư hạ tầng; trong đó số chưa nộp (chưa "
        "có báo cáo đã gửi cho năm).",
        f"WITH x AS (SELECT id AS facility_id, NULL::bigint AS zone_id FROM {_F} WHERE id IN ({facility_ids}) "
        f"UNION ALL SELECT NULL::bigint, id FROM {_Z} WHERE id IN ({zone_ids})) "
        "SELECT COUNT(*) AS due, COUNT(*) FILTER (WHERE NOT EXISTS ("
        f"SELECT 1 FROM {_R} r WHERE r.year = %s AND r.first_submitted_at IS NOT NULL "
        "AND (r.facility_id = x.facility_id OR r.zone_id = x.zone_id))) AS not_received FROM x",
        fparams + zparams + [year])
    ids, params = ids_sql(ctx.reports)
    counted = list(ctx.counted_statuses)
    q = ctx.log.run(
        "Báo cáo năm trong phạm vi báo cáo: đã nhận (đã gửi ít nhất một lần), đang chờ xem xét, đã chấp nhận, "
        "đã trả lại để chỉnh sửa, được tính vào số liệu tổng hợp (trạng thái trong danh sách), gửi muộn "
        "(ngày gửi đầu tiên, giờ Việt Nam, từ hạn nộp trở đi).",
        "SELECT COUNT(*) FILTER (WHERE r.first_submitted_at IS NOT NULL) AS received, "
        "COUNT(*) FILTER (WHERE r.status = 'submitted') AS awaiting, "
        "COUNT(*) FILTER (WHERE r.status = 'accepted') AS accepted, "
        "COUNT(*) FILTER (WHERE r.status = 'returned') AS returned, "
        "COUNT(*) FILTER (WHERE r.status = ANY(%s) AND r.first_submitted_at IS NOT NULL) AS counted, "
        f"COUNT(*) FILTER (WHERE (r.first_submitted_at AT TIME ZONE '{LOCAL_TZ}')::date >= r.due_before) AS late "
        f"FROM {_R} r WHERE r.id IN ({ids}) AND r.year = %s",
        [counted] + params + [year])
    block = Block("reports_status", f"Báo cáo công tác bảo vệ môi trường năm {year} của cơ sở",
                  ["Chỉ tiêu", "Số báo cáo"])
    block.rows.append(["Số đối tượng phải báo cáo",
                       ctx.log.figure(due, "reports.due", "Số đối tượng phải báo cáo", unit="đối tượng",
                                      column="due")])
    block.rows.append(["Số đối tượng chưa nộp",
                       ctx.log.figure(due, "reports.not_received", "Số đối tượng chưa nộp báo cáo",
                                      unit="đối tượng", column="not_received")])
    for column, label in (("received", "Đã nhận"), ("awaiting", "Đang chờ xem xét"), ("accepted", "Đã chấp nhận"),
                          ("returned", "Trả lại để chỉnh sửa"), ("late", "Gửi muộn"),
                          ("counted", "Được tính vào số liệu tổng hợp")):
        block.rows.append([label, ctx.log.figure(q, f"reports.{column}", f"Báo cáo: {label.lower()}",
                                                 unit="báo cáo", column=column)])
    return block


def _report_measure(ctx: Context, *, measure: str, detail_sql: str, detail_params: list,
                    description: str):
    """`measure` (reports.analytics.MEASURES) over the counted reports, by `detail_sql`, with the total."""
    m = MEASURES[measure]
    src_sql, params = source_cte(ctx.counted_reports)
    value_sql, value_params, where, agg = measure_sql(m)
    sql = (f"WITH {src_sql}, x AS (SELECT {detail_sql} AS detail, {value_sql} AS val, src.id AS report_id "
           f"FROM src {ROWS_SQL} WHERE {where}) "
           f"SELECT GROUPING(detail) > 0 AS is_total, detail, {agg} AS value, COUNT(DISTINCT report_id) AS reports, "
           "COUNT(*) - COUNT(val) AS ignored FROM x GROUP BY GROUPING SETS ((detail), ()) "
           "ORDER BY is_total, value DESC, detail NULLS LAST")
    return ctx.log.run(description, sql, params + detail_params + value_params + [list(m.tables)])


def _measure_block(ctx: Context, q, *, key: str, title: str, columns: list[str], unit: str,
                   labeller: Callable[[str | None], str], total_label: str) -> Block:
    block = Block(key, title, columns)
    for row in q.rows:
        if row["is_total"]:
            continue
        name = labeller(row["detail"])
        block.rows.append([name, ctx.log.figure(q, f"{key}.{row['detail']}", f"{total_label}: {name}", unit=unit,
                                                row={"is_total": False, "detail": row["detail"]})])
    block.rows.append([TOTAL, ctx.log.figure(q, f"{key}.total", total_label, unit=unit, row={"is_total": True},
                                             missing=0)])
    block.total_rows = 1
    total = q.find({"is_total": True})
    if total and total.get("ignored"):
        block.rows.insert(len(block.rows) - 1, [
            "Số giá trị không phải số (không cộng)",
            ctx.log.figure(q, f"{key}.ignored", f"{total_label}: số giá trị không cộng được", unit="giá trị",
                           row={"is_total": True}, column="ignored")])
    return block


def _statuses_text(ctx: Context) -> str:
    with translation.override("vi"):
        from reports.choices import ReportStatus

        return ", ".join(str(ReportStatus(s).label).lower() for s in ctx.counted_statuses)


def wastewater(ctx: Context) -> Block:
    q = _report_measure(
        ctx, measure="wastewater_m3", detail_sql="src.form_code", detail_params=[],
        description="Lượng nước thải (cột volume_m3_year của bảng wastewater_works) trong các báo cáo năm được "
                    f"tính ({_statuses_text(ctx)}; dữ liệu của lần gửi gần nhất), cộng theo mẫu báo cáo.")
    return _measure_block(ctx, q, key="wastewater", title=f"Lượng nước thải năm {ctx.year} theo báo cáo của cơ sở",
                          columns=["Mẫu báo cáo", "Lượng nước thải (m³/năm)"], unit="m³",
                          labeller=lambda code: f"Mẫu số {code}" if code else NOT_SPECIFIED,
                          total_label="Lượng nước thải")


def hazardous_waste(ctx: Context) -> Block:
    q = _report_measure(
        ctx, measure="hazardous_waste_kg", detail_sql="NULLIF(btrim(e.value ->> %s), '')", detail_params=["ctnh_code"],
        description="Khối lượng chất thải nguy hại (cột quantity_kg của bảng hazardous_waste) trong các báo cáo năm "
                    f"được tính ({_statuses_text(ctx)}; dữ liệu của lần gửi gần nhất), cộng theo mã CTNH.")
    return _measure_block(ctx, q, key="hazardous_waste", title=f"Chất thải nguy hại phát sinh năm {ctx.year} theo mã CTNH",
                          columns=["Mã CTNH", "Khối lượng (kg)"], unit="kg",
                          labeller=lambda code: f"mã {code}" if code else NOT_SPECIFIED,
                          total_label="Chất thải nguy hại")


SOLID_WASTE_KINDS = {"domestic": "Chất thải rắn sinh hoạt", "industrial": "Chất thải rắn công nghiệp thông thường"}


def solid_waste(ctx: Context) -> Block:
    q = _report_measure(
        ctx, measure="solid_waste_kg", detail_sql="NULLIF(btrim(e.value ->> %s), '')", detail_params=["waste_kind"],
        description="Khối lượng chất thải rắn thông thường (cột quantity_kg của bảng solid_waste) trong các báo cáo "
                    f"năm được tính ({_statuses_text(ctx)}; dữ liệu của lần gửi gần nhất), cộng theo loại.")
    return _measure_block(ctx, q, key="solid_waste", title=f"Chất thải rắn thông thường phát sinh năm {ctx.year}",
                          columns=["Loại chất thải", "Khối lượng (kg)"], unit="kg",
                          labeller=lambda kind: SOLID_WASTE_KINDS.get(kind or "", kind or NOT_SPECIFIED),
                          total_label="Chất thải rắn thông thường")


MONITORING_TABLE_LABELS = {"wastewater_monitoring": "Quan trắc nước thải",
                           "emission_monitoring": "Quan trắc khí thải"}


def declared_exceedances(ctx: Context) -> Block:
    q = _report_measure(
        ctx, measure="exceedances", detail_sql="tbl.name", detail_params=[],
        description="Số kết quả quan trắc định kỳ vượt giới hạn (dòng có \"exceeds\" = true trong các bảng "
                    "wastewater_monitoring, emission_monitoring) do cơ sở kê khai trong các báo cáo năm được tính "
                    f"({_statuses_text(ctx)}; dữ liệu của lần gửi gần nhất), theo bảng.")
    return _measure_block(ctx, q, key="declared_exceedances",
                          title="Kết quả quan trắc định kỳ vượt giới hạn do cơ sở kê khai",
                          columns=["Loại quan trắc", "Số kết quả vượt"], unit="kết quả",
                          labeller=lambda t: MONITORING_TABLE_LABELS.get(t or "", t or NOT_SPECIFIED),
                          total_label="Kết quả quan trắc vượt giới hạn kê khai")


# --- The monitoring network -------------------------------------------------------------

def monitoring_network(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.stations)
    q = ctx.log.run(
        "Trạm, điểm quan trắc (đã phê duyệt) trong phạm vi báo cáo, đếm theo loại và theo mạng lưới "
        "(của thành phố: không gắn với cơ sở; của cơ sở).",
        f"SELECT GROUPING(kind, city_network) AS grp, kind, city_network, COUNT(*) AS value FROM ("
        f"SELECT s.kind, s.facility_id IS NULL AS city_network FROM {_S} s WHERE s.id IN ({ids}) "
        "AND s.approval_status = %s) s GROUP BY GROUPING SETS ((kind, city_network), (city_network), ()) "
        "ORDER BY grp, kind, city_network",
        params + [APPROVED])
    block = Block("monitoring_network", "Mạng lưới quan trắc", ["Loại trạm", "Của thành phố", "Của cơ sở", "Cộng"])
    # GROUPING(kind, city_network): 0 = a kind in a network, 1 = a kind (both networks)… here 2 = a network, 3 = all.
    kinds = [k for k in StationKind.values if any(r["kind"] == k for r in q.rows)]
    for kind in kinds:
        label = _vi_label(StationKind, kind)
        block.rows.append([
            label,
            ctx.log.figure(q, f"stations.{kind}.city", f"Số trạm {label} của thành phố", unit="trạm",
                           row={"grp": 0, "kind": kind, "city_network": True}, missing=0),
            ctx.log.figure(q, f"stations.{kind}.facility", f"Số trạm {label} của cơ sở", unit="trạm",
                           row={"grp": 0, "kind": kind, "city_network": False}, missing=0),
            _kind_total(ctx, q, kind, label),
        ])
    block.rows.append([
        TOTAL,
        ctx.log.figure(q, "stations.city", "Số trạm của thành phố", unit="trạm",
                       row={"grp": 2, "city_network": True}, missing=0),
        ctx.log.figure(q, "stations.facility", "Số trạm của cơ sở", unit="trạm",
                       row={"grp": 2, "city_network": False}, missing=0),
        ctx.log.figure(q, "stations.total", "Tổng số trạm", unit="trạm", row={"grp": 3}, missing=0),
    ])
    block.total_rows = 1
    return block


def _kind_total(ctx: Context, q, kind: str, label: str):
    # The per-kind total is the sum of its two network rows: computed from the same query's rows.
    value = sum(r["value"] for r in q.rows if r["grp"] == 0 and r["kind"] == kind)
    return ctx.log.figure(q, f"stations.{kind}.total", f"Số trạm {label}", unit="trạm",
                          row={"grp": 0, "kind": kind}, value=value)


def exceedance_events(ctx: Context) -> Block:
    ids, params = ids_sql(ctx.stations)
    start = local_midnight(ctx.first_day)
    end = local_midnight(dt.date(ctx.year + 1, 1, 1))
    q = ctx.log.run(
        "Sự kiện vượt giới hạn do hệ thống phát hiện từ số liệu quan trắc tự động (bắt đầu trong năm, giờ Việt "
        "Nam) tại các trạm trong phạm vi báo cáo, theo loại trạm: số sự kiện và số trạm có sự kiện.",
        f"SELECT GROUPING(s.kind) > 0 AS is_total, s.kind, COUNT(*) AS value, COUNT(DISTINCT e.station_id) AS stations "
        f"FROM {_X} e JOIN {_S} s ON s.id = e.station_id WHERE e.station_id IN ({ids}) "
        "AND e.started_at >= %s AND e.started_at < %s GROUP BY GROUPING SETS ((s.kind), ()) ORDER BY is_total, s.kind",
        params + [start, end])
    block = Block("exceedance_events", f"Sự kiện vượt giới hạn phát hiện từ quan trắc tự động năm {ctx.year}",
                  ["Loại trạm", "Số sự kiện", "Số trạm có sự kiện"])
    for row in q.rows:
        if row["is_total"]:
            continue
        label = _vi_label(StationKind, row["kind"])
        sel = {"is_total": False, "kind": row["kind"]}
        block.rows.append([label,
                           ctx.log.figure(q, f"exceedances.{row['kind']}", f"Số sự kiện vượt giới hạn, {label}",
                                          unit="sự kiện", row=sel),
                           ctx.log.figure(q, f"exceedances.{row['kind']}.stations",
                                          f"Số trạm có sự kiện vượt giới hạn, {label}", unit="trạm", row=sel,
                                          column="stations")])
    total = {"is_total": True}
    block.rows.append([TOTAL,
                       ctx.log.figure(q, "exceedances.total", "Tổng số sự kiện vượt giới hạn", unit="sự kiện",
                                      row=total, missing=0),
                       ctx.log.figure(q, "exceedances.total.stations", "Tổng số trạm có sự kiện vượt giới hạn",
                                      unit="trạm", row=total, column="stations", missing=0)])
    block.total_rows = 1
    return block


def _ambient_stations(ctx: Context) -> QuerySet:
    """The city network's approved ambient-air stations in scope."""
    return ctx.stations.filter(facility__isnull=True, kind=StationKind.AMBIENT_AIR, approval_status=APPROVED)


def aqi_days(ctx: Context) -> Block:
    categories = list(load_aqi_table().categories)
    stations = ctx.log.orm("Trạm quan trắc không khí xung quanh của mạng lưới thành phố (đã phê duyệt) trong phạm "
                           "vi báo cáo.",
                           _ambient_stations(ctx).order_by("code").values("id", "code", "name"))
    derived = ("AQI ngày (AQI^d) của mỗi trạm và ngày theo Quyết định 1459/QĐ-TCMT, tính bằng "
               "monitoring.domain.aqi.daily_aqi từ các dòng của truy vấn thống kê ngày; đếm số ngày theo mức AQI "
               "(Bảng 1).")
    days: dict[int, list] = {}
    source = stations
    if stations.rows:
        # monitoring.services.aqi.days_of_aqi: the AQI parameters, then one query of daily statistics.
        with ctx.log.capture("Thông số AQI của danh mục, rồi thống kê ngày của chúng tại các trạm trên (trung bình "
                             "24 giờ, lớn nhất 1 giờ và 8 giờ; đủ 75 % số giờ) trong năm "
                             "(monitoring.services.aqi.days_of_aqi).", derived=derived) as captured:
            days = days_of_aqi(stations=[row["id"] for row in stations.rows], first=ctx.first_day, last=ctx.last_day)
        source = captured[-1]
    block = Block("aqi_days", f"Số ngày theo mức chỉ số chất lượng không khí (VN_AQI ngày) năm {ctx.year}",
                  ["Trạm"] + [c.label.get("vi", c.key) for c in categories] + ["Số ngày có AQI"])
    for station in stations.rows:
        counts = Counter(d.result.category.key for d in days.get(station["id"], ()) if d.result.category is not None)
        name = f"{station['code']} – {station['name']}"
        cells: list = [name]
        for c in categories:
            cells.append(ctx.log.figure(source, f"aqi.{station['code']}.{c.key}",
                                        f"Số ngày AQI mức {c.label.get('vi', c.key)} tại {name}", unit="ngày",
                                        row={"station_id": station["id"]}, value=counts[c.key]))
        cells.append(ctx.log.figure(source, f"aqi.{station['code']}.days", f"Số ngày có AQI tại {name}", unit="ngày",
                                    row={"station_id": station["id"]}, value=sum(counts.values())))
        block.rows.append(cells)
    block.note = ("Một ngày có AQI khi có đủ 18 giờ số liệu của PM10 hoặc PM2,5; mức AQI theo Bảng 1 "
                  "Quyết định 1459/QĐ-TCMT.")
    return block


def pm_exceedance(ctx: Context) -> Block:
    start = local_midnight(ctx.first_day)
    end = local_midnight(dt.date(ctx.year + 1, 1, 1))
    readings = Reading.objects.filter(
        station_id__in=_ambient_stations(ctx).values("pk"),
        parameter_id__in=Parameter.objects.filter(aqi_code__in=PM_CODES).values("pk"))
    source, params = readings_source(start=start, end=end, readings=readings, valid_only=True)
    hourly, extra = hourly_means_sql(source, DEFAULT_MIN_COVERAGE)
    need24 = required_count(WINDOWS["24h"].expected, DEFAULT_MIN_COVERAGE)
    q = ctx.log.run(
        f"Tỷ lệ ngày có nồng độ bụi PM2,5, PM10 trung bình 24 giờ vượt giới hạn của {ctx.ambient_limit_set} "
        "(giá trị 24 giờ có hiệu lực vào ngày đó) trên số ngày có số liệu, tại các trạm không khí xung quanh của "
        "mạng lưới thành phố. Trung bình ngày = trung bình các trung bình giờ (mỗi giờ đủ 75 % số giá trị, mỗi ngày "
        f"đủ {need24} giờ), chỉ giá trị đo bình thường; vượt = lớn hơn giới hạn. Dòng không có trạm: toàn mạng lưới "
        "(mọi trạm – ngày).",
        f"WITH daily AS (SELECT h.station_id, h.parameter_id, (h.hour AT TIME ZONE '{LOCAL_TZ}')::date AS day, "
        f"avg(h.mean) AS mean FROM ({hourly}) h GROUP BY 1, 2, 3 HAVING count(*) >= {need24}), "
        f"limits AS (SELECT lv.parameter_id, lv.upper, lv.valid_from, lv.valid_to FROM {_LV} lv "
        f"JOIN {_LS} ls ON ls.id = lv.limit_set_id WHERE ls.code = %s AND lv.averaging = %s AND lv.upper IS NOT NULL) "
        "SELECT GROUPING(st.code, st.name) > 0 AS is_total, st.code AS station, st.name AS station_name, "
        "p.aqi_code AS parameter, COUNT(*) AS days, COUNT(*) FILTER (WHERE d.mean > l.upper) AS days_exceeding, "
        "ROUND(100.0 * COUNT(*) FILTER (WHERE d.mean > l.upper) / NULLIF(COUNT(*), 0), 1) AS ratio_pct "
        f"FROM daily d JOIN {_S} st ON st.id = d.station_id JOIN {_PA} p ON p.id = d.parameter_id "
        "LEFT JOIN limits l ON l.parameter_id = d.parameter_id AND (l.valid_from IS NULL OR l.valid_from <= d.day) "
        "AND (l.valid_to IS NULL OR l.valid_to >= d.day) "
        "GROUP BY GROUPING SETS ((st.code, st.name, p.aqi_code), (p.aqi_code)) "
        "ORDER BY is_total, station, parameter",
        params + extra + [ctx.ambient_limit_set, "24h"])
    block = Block("pm_exceedance", f"Tỷ lệ ngày có nồng độ bụi PM2,5 và PM10 vượt quy chuẩn năm {ctx.year}",
                  ["Trạm", "Thông số", "Số ngày có số liệu", "Số ngày vượt", "Tỷ lệ (%)"])
    rows = [r for r in q.rows if not r["is_total"]] + [r for r in q.rows if r["is_total"]]
    for row in rows:
        name = "Toàn mạng lưới" if row["is_total"] else f"{row['station']} – {row['station_name']}"
        sel = {"is_total": row["is_total"], "station": row["station"], "parameter": row["parameter"]}
        key = f"pm.{row['station'] or 'all'}.{row['parameter']}"
        block.rows.append([
            name, row["parameter"],
            ctx.log.figure(q, f"{key}.days", f"Số ngày có số liệu {row['parameter']}, {name}", unit="ngày",
                           row=sel, column="days"),
            ctx.log.figure(q, f"{key}.exceeding", f"Số ngày {row['parameter']} vượt quy chuẩn, {name}", unit="ngày",
                           row=sel, column="days_exceeding"),
            ctx.log.figure(q, f"{key}.ratio", f"Tỷ lệ ngày {row['parameter']} vượt quy chuẩn, {name}", unit="%",
                           row=sel, column="ratio_pct"),
        ])
    block.total_rows = sum(1 for r in q.rows if r["is_total"])
    return block


def ambient_limits(ctx: Context) -> Block:
    q = ctx.log.run(
        f"Giới hạn trung bình 24 giờ của PM2,5 và PM10 theo {ctx.ambient_limit_set} có hiệu lực trong năm "
        "(bảng giới hạn nạp từ fixtures/monitoring/limit_sets).",
        f"SELECT p.aqi_code AS parameter, lv.valid_from, lv.valid_to, lv.upper AS value FROM {_LV} lv "
        f"JOIN {_LS} ls ON ls.id = lv.limit_set_id JOIN {_PA} p ON p.id = lv.parameter_id "
        "WHERE ls.code = %s AND lv.averaging = %s AND p.aqi_code = ANY(%s) "
        "AND (lv.valid_from IS NULL OR lv.valid_from <= %s) AND (lv.valid_to IS NULL OR lv.valid_to >= %s) "
        "ORDER BY p.aqi_code, lv.valid_from NULLS FIRST",
        [ctx.ambient_limit_set, "24h", list(PM_CODES), ctx.last_day, ctx.first_day])
    block = Block("ambient_limits", f"Giới hạn áp dụng ({ctx.ambient_limit_set}, trung bình 24 giờ)",
                  ["Thông số", "Hiệu lực", "Giới hạn (µg/Nm³)"])
    for row in q.rows:
        period = _period(row["valid_from"], row["valid_to"])
        block.rows.append([row["parameter"], period,
                           ctx.log.figure(q, f"limit.{row['parameter']}.{row['valid_from']}",
                                          f"Giới hạn 24 giờ {row['parameter']} ({period})", unit="µg/Nm³",
                                          row={"parameter": row["parameter"], "valid_from": row["valid_from"]})])
    if not q.rows:
        block.note = "Chưa nạp bảng giới hạn: không xác định được số ngày vượt."
    return block


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if start:
        return f"từ {start:%d/%m/%Y}"
    if end:
        return f"đến {end:%d/%m/%Y}"
    return "cả năm"


BLOCKS: dict[str, Callable[[Context], Block]] = {
    "facilities_by_sector": facilities_by_sector,
    "facilities_by_permit_class": facilities_by_permit_class,
    "zones_overview": zones_overview,
    "permits": permits,
    "inspections": inspections,
    "reports_status": reports_status,
    "wastewater": wastewater,
    "hazardous_waste": hazardous_waste,
    "solid_waste": solid_waste,
    "declared_exceedances": declared_exceedances,
    "monitoring_network": monitoring_network,
    "exceedance_events": exceedance_events,
    "aqi_days": aqi_days,
    "pm_exceedance": pm_exceedance,
    "ambient_limits": ambient_limits,
}
