"""Reads for documents: which objects take attachments, and who may see which file.

A document is visible to whoever may VIEW its target (the target's own
`for_user` scope), and to everyone when it is marked public and its target is
approved. Anything else is absent: 404, never 403.
"""
from __future__ import annotations

from django.db import models
from django.http import Http404

from geoportal.scopes import Action, get_scoped_or_404
from layers.choices import ApprovalStatus
from layers.models import (
    CraftVillage,
    DegradedArea,
    Document,
    EIADecision,
    EnvironmentalRegistration,
    Facility,
    Incident,
    IndustrialZone,
    Inspection,
    Permit,
    ProtectedArea,
    SEAReport,
    WasteFacility,
    WaterArea,
)

# URL slug -> model of every object that takes documents. A fixed list: the slug in a
# URL never names a model directly, so no other model can be reached through it.
TARGET_TYPES: dict[str, type[models.Model]] = {
    "facility": Facility,
    "zone": IndustrialZone,
    "protected-area": ProtectedArea,
    "degraded-area": DegradedArea,
    "incident": Incident,
    "craft-village": CraftVillage,
    "waste-facility": WasteFacility,
    "water-area": WaterArea,
    "permit": Permit,
    "inspection": Inspection,
    "eia": EIADecision,
    "registration": EnvironmentalRegistration,
    "sea": SEAReport,
}
_SLUG_OF_MODEL = {model: slug for slug, model in TARGET_TYPES.items()}


def target_type_of(model: type[models.Model]) -> str | None:
    """The URL slug of a target model, or None when the model takes no documents."""
    return _SLUG_OF_MODEL.get(model)


def target_get(*, user, target_type: str, pk: int, action: Action) -> models.Model:
    """One target fetched through the user's scope for `action`; 404 otherwise."""
    model = TARGET_TYPES.get(target_type)
    if model is None:
        raise Http404
    return get_scoped_or_404(model._default_manager.all(), user, action, pk=pk)


def _private(manager, user, action: Action):
    """The user's own scope, without what is merely published: seeing a published
    feature does not open its private documents."""
    private = getattr(manager.all(), "for_user_private", None)
    return private(user, action) if private else manager.for_user(user, action)


def user_may(user, target: models.Model, action: Action) -> bool:
    """May `user` perform `action` on `target` (its model's `for_user` contains it)?"""
    model = type(target)
    if model not in _SLUG_OF_MODEL or target.pk is None:
        return False
    return _private(model._default_manager, user, action).filter(pk=target.pk).exists()


def document_target_model(document: Document) -> type[models.Model] | None:
    model = document.content_type.model_class()
    return model if model in _SLUG_OF_MODEL else None


def document_get(*, user, pk: int, action: Action = Action.VIEW) -> Document:
    """A document the user may read (VIEW) or manage (CHANGE, through its target); 404 otherwise."""
    document = Document.objects.select_related("content_type").filter(pk=pk).first()
    if document is None:
        raise Http404
    model = document_target_model(document)
    if model is None:
        raise Http404
    manager = model._default_manager
    if _private(manager, user, action).filter(pk=document.object_id).exists():
        return document
    if (action == Action.VIEW and document.is_public
            and manager.filter(pk=document.object_id, approval_status=ApprovalStatus.APPROVED).exists()):
        return document
    raise Http404


def documents_for_target(*, user, target: models.Model) -> models.QuerySet[Document]:
    """The documents of `target` that `user` may see: all of them with VIEW on the
    target, else the public ones of an approved target, else none."""
    documents = target.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    if user_may(user, target, Action.VIEW):
        return documents
    if getattr(target, "approval_status", None) == ApprovalStatus.APPROVED:
        return documents.filter(is_public=True)
    return documents.none()
