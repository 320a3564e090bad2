"""Reads for imports. An ImportBatch belongs to the uploader's organisation: only that
organisation (and the Department, which sees everything) can fetch it; any other id
is a 404 (STYLE.md 4)."""
from __future__ import annotations

from django.db.models import QuerySet

from geoportal.scopes import scope_for
from layers.models import ImportBatch


def import_batches_for(user) -> QuerySet[ImportBatch]:
    """The batches `user` may see: the Department all, others their organisation's."""
    scope = scope_for(user)
    queryset = ImportBatch.objects.all()
    if scope.everything:
        return queryset
    if scope.is_anonymous or scope.organisation_id is None:
        return queryset.none()
    return queryset.filter(organisation_id=scope.organisation_id)


def import_batch_list(*, user) -> QuerySet[ImportBatch]:
    """For the list page: without the (large) report, with who and where in one query."""
    return (import_batches_for(user).select_related("uploaded_by", "organisation")
            .defer("report", "options").order_by("-created_at", "-pk"))
