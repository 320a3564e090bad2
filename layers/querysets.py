"""Scoped, chainable reads for the map layers and the records attached to them.

A feature is in a user's scope when (DESIGN.md section 4):
- the Department: always;
- a commune: it lies in one of the commune's units, or the commune entered it;
- the EZ board: it is a zone the board manages, or lies in one;
- an enterprise: it belongs to the enterprise (owner, or zone investor);
- a connection account: read-only, approved data only.
Records (permits, inspections, ...) are in scope when their feature is.
"""
from __future__ import annotations

from datetime import date

from django.contrib.gis.geos import Polygon
from django.db.models import Q

from geoportal.accounts.choices import Role
from geoportal.organisations.filters import folded_search
from geoportal.scopes import EVERYTHING, NOTHING, Action, Scope, ScopedQuerySet

APPROVED = "approved"


class Paths:
    """Where, from a model, the scope-relevant fields are."""

    def __init__(self, prefix: str = "", *, unit: str | None = "admin_unit",
                 owners: tuple[str, ...] = (), boards: tuple[str, ...] = (),
                 entered: str | None = "entered_by", approval: str | None = "approval_status"):
        self.prefix, self.unit, self.owners, self.boards = prefix, unit, owners, boards
        self.entered, self.approval = entered, approval

    def f(self, name: str) -> str:
        return f"{self.prefix}{name}"


def paths_q(paths: Paths, scope: Scope, action: Action) -> Q:
    if scope.everything:
        return EVERYTHING
    if scope.is_anonymous:
        return NOTHING
    org = scope.organisation_id
    if scope.read_only:
        # A connection account reads what the public reads, and beyond that only what its
        # agreement grants, through the exchange API (exchange.selectors), field by field.
        return NOTHING
    q = NOTHING
    if action == Action.APPROVE:
        # The commune chairman approves the commune's entries (Article 7).
        if scope.has(Role.COMMUNE_CHAIRMAN) and scope.unit_ids and paths.unit:
            return Q(**{f"{paths.f(paths.unit)}__in": scope.unit_ids})
        return NOTHING
    if scope.unit_ids and paths.unit:
        q |= Q(**{f"{paths.f(paths.unit)}__in": scope.unit_ids})
    if org and scope.has(Role.EZ_OFFICER):
        for board in paths.boards:
            q |= Q(**{paths.f(board): org})
    if org and scope.has(Role.ENTERPRISE_USER):
        for owner in paths.owners:
            q |= Q(**{paths.f(owner): org})
    if org and paths.entered and action == Action.VIEW:
        # An author always sees what it entered; editing follows location and ownership.
        q |= Q(**{paths.f(paths.entered): org})
    return q


class FeatureQuerySet(ScopedQuerySet):
    """Base of every layer's queryset. Subclasses set `paths`.

    `for_user(user, VIEW)` is the user's scope plus what is published (approved entries
    of a public layer); `for_user_private()` is the scope alone, the rows whose every
    field the user may see."""

    paths = Paths(owners=(), boards=())

    def scope_q(self, scope: Scope, action: Action) -> Q:
        return paths_q(self.paths, scope, action)

    def _layer_slug(self) -> str | None:
        from layers.models import LAYER_MODELS

        return next((slug for slug, model in LAYER_MODELS.items() if model is self.model), None)

    def for_user(self, user, action: Action = Action.VIEW):
        from geoportal.scopes import scope_for
        from layers.publishing import published_q

        q = self.scope_q(scope_for(user), Action(action))
        slug = self._layer_slug()
        # An empty Q() means "everything"; OR-ing it with anything would narrow it.
        if Action(action) == Action.VIEW and slug is not None and q != EVERYTHING:
            q = q | published_q(slug)
        return self.filter(q)

    def for_user_private(self, user, action: Action = Action.VIEW):
        from geoportal.scopes import scope_for

        return self.filter(self.scope_q(scope_for(user), Action(action)))

    def published(self):
        from layers.publishing import published_q

        slug = self._layer_slug()
        return self.filter(published_q(slug)) if slug else self.none()

    def approved(self) -> "FeatureQuerySet":
        return self.filter(approval_status=APPROVED)

    def within(self, bbox: tuple[float, float, float, float]) -> "FeatureQuerySet":
        """Features intersecting a (west, south, east, north) box in EPSG:4326."""
        return self.filter(geom__intersects=Polygon.from_bbox(bbox))

    def search(self, text: str, fields: tuple[str, ...] = ("name",)) -> "FeatureQuerySet":
        """Diacritic-folded search: "dinh vu" finds "Đình Vũ"."""
        return folded_search(self, list(fields), text)


class FacilityQuerySet(FeatureQuerySet):
    paths = Paths(owners=("owner_organisation",), boards=("zone__managing_board",))


class ZoneQuerySet(FeatureQuerySet):
    paths = Paths(owners=("investor_organisation",), boards=("managing_board",))


class RecordQuerySet(ScopedQuerySet):
    """Records attached to a facility or a zone: in scope when the feature is."""

    parents: tuple[Paths, ...] = (
        Paths("facility__", owners=("owner_organisation",), boards=("zone__managing_board",)),
        Paths("zone__", owners=("investor_organisation",), boards=("managing_board",)),
    )

    def scope_q(self, scope: Scope, action: Action) -> Q:
        if scope.everything:
            return EVERYTHING
        q = NOTHING
        for parent in self.parents:
            q |= paths_q(parent, scope, action)
        if scope.read_only and action == Action.VIEW:
            q &= Q(approval_status=APPROVED)
        return q

    def approved(self):
        return self.filter(approval_status=APPROVED)


class PermitQuerySet(RecordQuerySet):
    def in_force_on(self, day: date) -> "PermitQuerySet":
        return self.filter(signed_on__lte=day, revoked_on__isnull=True, superseded_by__isnull=True)

    def with_successor(self) -> "PermitQuerySet":
        """Annotate the number of the permit that superseded each one (one join, no N+1)."""
        from django.db.models import Case, F, Value, When
        from django.db.models.functions import Concat

        # Same rule as Permit.full_number: "number/symbol" unless the number has a "/".
        return self.annotate(successor_number=Case(
            When(superseded_by__isnull=True, then=Value(None)),
            When(superseded_by__symbol="", then=F("superseded_by__number")),
            When(superseded_by__number__contains="/", then=F("superseded_by__number")),
            default=Concat(F("superseded_by__number"), Value("/"), F("superseded_by__symbol")),
        ))

    @staticmethod
    def expiry_sql(alias: str) -> str:
        """with_expiry's rule as SQL text over the permit row `alias`, for hand-written queries
        (exchange.selectors, workspace.compiled)."""
        return (f"COALESCE({alias}.expires_on, ({alias}.signed_on + make_interval(years => {alias}.term_years::int) "
                "- interval '1 day')::date)")

    def with_expiry(self) -> "PermitQuerySet":
        """Annotate `expiry`, computed in SQL by the same rule as layers.domain.permits:
        the written expiry date, else signing date + term years - 1 day."""
        from django.db.models import DateField, F, Func
        from django.db.models.functions import Coalesce

        class _TermEnd(Func):
            # signed_on + term years - 1 day (NULL when either is NULL)
            arg_joiner = " + make_interval(years => "
            template = "(%(expressions)s) - interval '1 day')::date"
            output_field = DateField()

        computed = _TermEnd(F("signed_on"), F("term_years"))
        return self.annotate(expiry=Coalesce(F("expires_on"), computed, output_field=DateField()))

    def expiring_or_expired(self, today: date) -> "PermitQuerySet":
        from layers.domain.permits import EXPIRING_WINDOW_MONTHS, add_months

        return self.with_expiry().filter(
            revoked_on__isnull=True, superseded_by__isnull=True, expiry__lte=add_months(today, EXPIRING_WINDOW_MONTHS))

