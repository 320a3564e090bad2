"""Scoped, chainable reads of the monitoring network (DESIGN.md section 4).

Stations follow the register's rules (layers.querysets.Paths): the Department sees all,
a commune its units, the EZ board the stations of the facilities in its zones, an
enterprise its facilities' stations; published stations are seen by everyone.
Readings follow their station, with one rule of the law for the public: a facility's
automatic monitoring results are published for 30 days (Decree 08/2022, public
disclosure duty), while the city network's are published in full.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from geoportal.scopes import Action, Scope, ScopedQuerySet, scope_for
from layers.querysets import FeatureQuerySet, Paths, paths_q

FACILITY_PUBLIC_DAYS = 30

STATION_PATHS = Paths(owners=("facility__owner_organisation",), boards=("facility__zone__managing_board",))


class StationQuerySet(FeatureQuerySet):
    paths = STATION_PATHS

    def city_network(self):
        return self.filter(facility__isnull=True)

    def with_parameters(self):
        return self.prefetch_related("station_parameters__parameter__unit")


def station_scope_q(scope: Scope, action: Action, prefix: str = "station__") -> Q:
    return paths_q(Paths(prefix, owners=STATION_PATHS.owners, boards=STATION_PATHS.boards), scope, action)


class ReadingQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        return station_scope_q(scope, action)

    def for_user(self, user, action: Action = Action.VIEW):
        """The user's stations' readings, plus what is published: the city network's in
        full and a facility station's last 30 days."""
        from monitoring.models import Station

        scope = scope_for(user)
        own = Q(station_id__in=Station.objects.for_user_private(user, action).values("pk"))
        if Action(action) != Action.VIEW or scope.everything:
            return self.filter(own)
        published = Station.objects.published()
        since = timezone.now() - dt.timedelta(days=FACILITY_PUBLIC_DAYS)
        public = (Q(station_id__in=published.filter(facility__isnull=True).values("pk"))
                  | (Q(station_id__in=published.filter(facility__isnull=False).values("pk"))
                     & Q(observed_at__gte=since)))
        return self.filter(own | public)

    def between(self, start: dt.datetime | None, end: dt.datetime | None):
        """Readings in [start, end): bounds on observed_at let PostgreSQL prune partitions."""
        qs = self
        if start is not None:
            qs = qs.filter(observed_at__gte=start)
        if end is not None:
            qs = qs.filter(observed_at__lt=end)
        return qs

    def valid(self):
        """Values measured normally: readings under calibration or in error are excluded."""
        return self.filter(status=0)


class ExceedanceQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        return station_scope_q(scope, action)

    def open(self):
        return self.filter(ended_at__isnull=True)
