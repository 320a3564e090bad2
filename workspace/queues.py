"""Selectors of the work queues (/officer/queues/): what waits for an officer, in scope.

Each queue has a count, its first QUEUE_LENGTH items (oldest first) and links to the full
lists. The rules are those of the pages the queues link to:
- reports awaiting review: submitted reports the user sees (reports.querysets);
- entries awaiting approval: the models of the approvals page (layers.views.APPROVABLE), in
  the approver's APPROVE scope (what /approvals/ lists), else in the user's own scope;
- rows needing review: entries an import flagged (`needs_review`, cleared by an officer),
  and previewed import batches not yet imported or cancelled (layers.imports.selectors);
- accounts due for periodic review: User.objects.due_for_review() / unused(), for users
  with Capability.ACCOUNTS_REVIEW only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import CharField, Count, F, Q, Value, Window
from django.urls import reverse
from django.utils.translation import gettext as _

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from geoportal.scopes import Action, Capability, has_capability, scope_for
from layers.choices import ApprovalStatus
from layers.imports.permissions import may_import
from layers.imports.selectors import import_batches_for
from layers.models import ImportBatch, Permit
from layers.registry import LAYERS
from layers.views import APPROVABLE
from reports.choices import ReportStatus
from reports.models import Report
from reports.selectors import open_years

QUEUE_LENGTH = 10  # items shown per queue; the full lists are one link away
# The column a list shows as an entry's name: layers have a name, records a number or an authority.
LABEL_FIELDS = {"permits": "number", "inspections": "authority"}


@dataclass(frozen=True)
class QueueItem:
    label: str
    url: str
    detail: str = ""
    when: dt.datetime | dt.date | None = None


@dataclass(frozen=True)
class Queue:
    """One work queue: how many items wait, the first ones, and where the full lists are."""

    key: str
    title: str
    count: int
    items: list[QueueItem]
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) of the full lists
    empty: str = ""
    note: str = ""


def _url(name: str, *args, **params) -> str:
    base = reverse(name, args=args or None)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _kind_title(slug: str) -> str:
    layer = LAYERS.get(slug)
    return str(layer.title if layer else APPROVABLE[slug]._meta.verbose_name_plural)


def _item_url(slug: str, pk: int) -> str:
    if slug == "permits":
        return reverse("layers:permit-detail", args=[pk])
    if slug == "inspections":  # inspections have no page of their own
        return reverse("layers:inspection-list")
    return reverse("layers:detail", args=[slug, pk])


def _first_per_kind(querysets: dict, *, when: str) -> tuple[dict[str, int], list[QueueItem]]:
    """Counts per kind and the oldest QUEUE_LENGTH items over several models, in one UNION ALL
    query: each branch carries its kind's total (a window count) and its own first rows."""
    branches = [
        qs.order_by().annotate(
            q_kind=Value(slug, output_field=CharField()), q_label=F(LABEL_FIELDS.get(slug, "name")),
            q_when=F(when), q_total=Window(Count("pk")),
        ).values_list("q_kind", "pk", "q_label", "q_when", "q_total")
        .order_by(F(when).asc(nulls_last=True), "pk")[:QUEUE_LENGTH]
        for slug, qs in querysets.items()
    ]
    rows = list(branches[0].union(*branches[1:], all=True)) if branches else []
    counts = {kind: total for kind, _pk, _label, _when, total in rows}
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (r[3] or far_future, r[0], r[1]))
    items = [QueueItem(label=label or "–", url=_item_url(kind, pk), detail=_kind_title(kind), when=moment)
             for kind, pk, label, moment, _total in rows[:QUEUE_LENGTH]]
    return counts, items


def _scoped(model, slug: str, user, action: Action):
    """Layers: the user's own scope (not what is merely published); records: their scope."""
    if slug in LAYERS:
        return model.objects.for_user_private(user, action)
    return model.objects.for_user(user, action)


# --- The queues ----------------------------------------------------------------------------

def reports_awaiting_review(*, user, today: dt.date) -> Queue:
    """Submitted reports in the user's scope, oldest submission first; linked per reporting year."""
    awaiting = Report.objects.for_user(user, Action.VIEW).filter(status=ReportStatus.SUBMITTED)
    per_year = dict(awaiting.order_by().values_list("year").annotate(n=Count("pk")))
    first = awaiting.select_related("facility", "zone", "organisation").order_by("submitted_at", "pk")[:QUEUE_LENGTH]
    listed = set(open_years(today))
    links = [(_("Year %(year)s: %(count)s") % {"year": year, "count": n},
              _url("reports:officer-list", year=year, state=ReportStatus.SUBMITTED.value))
             for year, n in sorted(per_year.items(), reverse=True) if year in listed]
    items = [QueueItem(label=r.subject_name, url=reverse("reports:detail", args=[r.pk]),
                       detail=f"{r.year} · {r.organisation.name}", when=r.submitted_at) for r in first]
    return Queue("reports", _("Reports awaiting review"), sum(per_year.values()), items, links,
                 empty=_("No report is waiting for review."))


def may_approve(user) -> bool:
    """Who acts on the approvals page: the Department, and a commune's chairman (Article 7)."""
    scope = scope_for(user)
    return scope.everything or scope.has(Role.COMMUNE_CHAIRMAN)


def entries_awaiting_approval(*, user) -> Queue:
    """Commune entries (layers and records) awaiting the chairman's approval."""
    approver = may_approve(user)
    action = Action.APPROVE if approver else Action.VIEW
    querysets = {slug: _scoped(model, slug, user, action).filter(approval_status=ApprovalStatus.AWAITING)
                 for slug, model in APPROVABLE.items()}
    counts, items = _first_per_kind(querysets, when="submitted_at")
    if approver:
        links = [(_("Approvals"), reverse("layers:approvals"))]
    else:  # the register lists filter by approval status; permits and inspections do not
        links = [(f"{_kind_title(slug)}: {n}", _url("layers:list", slug, approval_status=ApprovalStatus.AWAITING.value))
                 for slug, n in counts.items() if slug in LAYERS]
    return Queue("approvals", _("Entries awaiting the chairman's approval"), sum(counts.values()), items, links,
                 empty=_("No entry is waiting for approval."))


def rows_needing_review(*, user) -> Queue:
    """Entries an import flagged as uncertain (`needs_review`), in the user's scope."""
    models = {slug: layer.model for slug, layer in LAYERS.items()} | {"permits": Permit}
    querysets = {slug: _scoped(model, slug, user, Action.VIEW).filter(needs_review=True)
                 for slug, model in models.items()}
    counts, items = _first_per_kind(querysets, when="updated_at")
    links = [(f"{_kind_title(slug)}: {n}", _url("layers:list", slug, needs_review="true"))
             for slug, n in counts.items() if slug in LAYERS]
    return Queue("review", _("Imported rows needing review"), sum(counts.values()), items, links,
                 empty=_("No imported row is flagged for review."))


def imports_awaiting_decision(*, user) -> Queue | None:
    """Import batches previewed (dry run) but neither imported nor cancelled; None if the user cannot import."""
    if not may_import(user):
        return None
    batches = import_batches_for(user).filter(status=ImportBatch.Status.PREVIEWED)
    count = batches.count()
    first = batches.defer("report", "options").order_by("created_at", "pk")[:QUEUE_LENGTH]
    items = [QueueItem(label=b.original_name, url=reverse("layers:imports:detail", args=[b.pk]),
                       detail=_("%(rows)s rows to review, %(rejected)s rejected")
                       % {"rows": b.review_count, "rejected": b.rejected_count}, when=b.created_at) for b in first]
    return Queue("imports", _("Imports previewed, not yet imported"), count, items,
                 [(_("Imports"), reverse("layers:imports:list"))], empty=_("No previewed import is pending."))


def accounts_due_for_review(*, user) -> Queue | None:
    """Active accounts not reviewed in the review interval (and how many are unused); None
    unless the user has Capability.ACCOUNTS_REVIEW."""
    if not has_capability(user, Capability.ACCOUNTS_REVIEW):
        return None
    accounts = User.objects.for_user(user, Action.APPROVE)
    due = accounts.due_for_review()
    counts = accounts.aggregate(due=Count("pk", filter=Q(pk__in=due.values("pk"))),
                                unused=Count("pk", filter=Q(pk__in=accounts.unused().values("pk"))))
    first = (due.select_related("organisation").order_by(F("last_reviewed_at").asc(nulls_first=True), "username")
             [:QUEUE_LENGTH])
    items = [QueueItem(label=u.get_full_name() or u.username, url=reverse("accounts:user-detail", args=[u.pk]),
                       detail=u.organisation.name if u.organisation else "", when=u.last_reviewed_at) for u in first]
    # The periodic review page (review or disable in bulk) lists both kinds.
    links = [(_("Accounts due for review"), _url("accounts:review-queue", show="due")),
             (_("Unused accounts"), _url("accounts:review-queue", show="unused"))]
    note = _("Active accounts unused for %(days)s days or more: %(count)s") % {
        "days": settings.ACCOUNT_UNUSED_DAYS, "count": counts["unused"]}
    return Queue("accounts", _("Accounts due for periodic review"), counts["due"], items, links,
                 empty=_("No account is due for review."), note=note)


def work_queues(*, user, today: dt.date) -> list[Queue]:
    """Every queue the user has, in the order of the page."""
    queues = [reports_awaiting_review(user=user, today=today), entries_awaiting_approval(user=user),
              rows_needing_review(user=user), imports_awaiting_decision(user=user),
              accounts_due_for_review(user=user)]
    return [queue for queue in queues if queue is not None]
