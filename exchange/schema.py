"""The exchanged collections: their keys, public field names and schema version.

This module is the contract with the national environmental database, the ministry and the
connection accounts (docs/data-exchange.md documents every field). Field names here are the
names a token's grants use, the keys of the JSON records, the CSV columns and the GeoPackage
attribute columns; they are deliberately not the database column names, so that a model change
does not silently change what other agencies receive.

"geometry" is a field like the others for the collections that have one: a grant that does not
name it gets features with a null geometry. Nothing is ever added to a record beyond the granted
fields, not even the identifier.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Bumped on any change to a collection's fields (added: minor; renamed/removed/retyped: major).
SCHEMA_VERSION = "1.0"

# Every geometry in the exchange is WGS 84 longitude/latitude, as stored (layers/models.py).
CRS_EPSG = 4326
CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/4326"


@dataclass(frozen=True)
class Collection:
    """One exchanged collection: what a grant names and a package holds one file per."""

    key: str
    label: str | Promise
    fields: tuple[str, ...]
    geometry: bool = False
    geometry_type: str = ""
    schema_version: str = SCHEMA_VERSION
    description: str | Promise = ""

    def allowed(self, granted: frozenset[str] | None, *, all_fields: frozenset[str]) -> tuple[str, ...]:
        """The collection's fields within `granted`, in schema order (`all_fields` is the
        ALL_FIELDS marker of geoportal.accounts.models, passed in to keep this module model-free)."""
        if granted is None:
            return ()
        if granted is all_fields:
            return self.fields
        return tuple(f for f in self.fields if f in granted)

    @property
    def field_set(self) -> frozenset[str]:
        """The public field names as a set."""
        return frozenset(self.fields)


COLLECTIONS: dict[str, Collection] = {
    c.key: c for c in (
        Collection(
            key="facilities",
            label=_("Facilities"),
            description=_("Approved production, business and service facilities."),
            geometry=True,
            geometry_type="Point",
            fields=(
                "id", "name", "tax_code", "business_registration", "address", "representative",
                "contact_phone", "owner", "commune_code", "commune", "zone_id", "zone_code", "sector_code",
                "sector", "activity", "capacity", "operating_frequency", "project_group", "permit_class",
                "status", "updated_at", "geometry",
            ),
        ),
        Collection(
            key="zones",
            label=_("Industrial zones and clusters"),
            description=_("Approved economic zones, industrial parks and industrial clusters."),
            geometry=True,
            geometry_type="MultiPolygon",
            fields=(
                "id", "name", "code", "kind", "area_ha", "occupancy_pct", "managing_board", "investor",
                "established_by", "cwwtp_status", "commune_code", "commune", "updated_at", "geometry",
            ),
        ),
        Collection(
            key="permits",
            label=_("Environmental permits"),
            description=_("Approved environmental permits, with the permitted waste quantities."),
            fields=(
                "id", "number", "symbol", "kind", "signed_on", "expires_on", "term_years", "issuer",
                "signer", "facility_id", "zone_id", "supersedes_id", "revoked_on", "hazardous_waste_kg_year",
                "industrial_solid_waste_kg_year", "domestic_solid_waste_kg_year", "updated_at",
            ),
        ),
        Collection(
            key="discharge_streams",
            label=_("Permitted discharge streams"),
            description=_("Wastewater and emission streams of approved permits, located at their outfall."),
            geometry=True,
            geometry_type="Point",
            fields=(
                "id", "permit_id", "code", "kind", "max_flow", "flow_unit", "regulation", "regulation_column",
                "receiving_body", "updated_at", "geometry",
            ),
        ),
        Collection(
            key="reports",
            label=_("Environmental protection reports"),
            description=_("Structured data of accepted annual environmental protection reports."),
            fields=(
                "id", "facility_id", "zone_id", "organisation", "year", "form_code", "form_version", "status",
                "revision", "number", "report_date", "commune_code", "accepted_at", "fields", "tables",
                "updated_at",
            ),
        ),
        Collection(
            key="stations",
            label=_("Monitoring stations"),
            description=_("Approved automatic and periodic monitoring stations and the parameters they measure."),
            geometry=True,
            geometry_type="Point",
            fields=(
                "id", "code", "name", "kind", "mode", "facility_id", "operator", "commune_code",
                "transmits_since", "last_reading_at", "parameters", "updated_at", "geometry",
            ),
        ),
        Collection(
            key="monitoring_daily",
            label=_("Daily monitoring aggregates"),
            description=_("Daily mean, minimum, maximum and count of valid readings per station and parameter."),
            fields=(
                "station_id", "station_code", "parameter", "unit", "day", "mean", "min", "max", "count",
                "updated_at",
            ),
        ),
        Collection(
            key="exceedances",
            label=_("Limit exceedances"),
            description=_("Episodes where a station's averaged readings exceeded a regulatory or permit limit."),
            fields=(
                "id", "station_id", "station_code", "parameter", "averaging", "started_at", "ended_at",
                "peak_value", "peak_at", "limit_lower", "limit_upper", "limit_source", "windows", "updated_at",
            ),
        ),
    )
}


def get_collection(key: str) -> Collection | None:
    """The collection named `key`, or None."""
    return COLLECTIONS.get(key)
