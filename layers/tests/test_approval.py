"""Article 7 workflow: a commune's entries wait for the chairman; the Department's and
the EZ board's are approved on save. Each transition is audited; illegal ones refused."""
import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import PermissionDenied

from geoportal.audit.models import AuditEvent
from layers.choices import ApprovalStatus as S
from layers.choices import DegradedAreaKind
from layers.models import CraftVillage, DegradedArea, MonthlyUpdate
from layers.services.approval import TransitionError, entry_approve, entry_reject
from layers.services.features import feature_save


def village(world, unit=None, **kw):
    unit = unit or world.unit_a
    point = unit.geom.point_on_surface
    return CraftVillage(name=kw.pop("name", "Làng nghề thử"), geom=Point(point.x, point.y, srid=4326), **kw)


def entry_for(world, role):
    """Something each role may enter: a craft village in commune A, a zone managed by the
    EZ board, a facility the enterprise owns."""
    from layers.models import Facility, IndustrialZone

    if role == "ez_officer":
        from tests.factories import square

        p = world.unit_a.geom.point_on_surface
        return IndustrialZone(name="KCN mới", kind="kcn", managing_board=world.ez_board,
                              geom=square(p.x - 0.001, p.y - 0.001, 0.002))
    if role == "enterprise_user":
        return Facility(name="Nhà máy mới", geom=world.unit_a.geom.point_on_surface,
                        owner_organisation=world.enterprise_a)
    return village(world)


@pytest.mark.parametrize("role,expected", [
    ("dept_admin", S.APPROVED), ("dept_officer", S.APPROVED), ("ez_officer", S.APPROVED),
    ("commune_officer", S.AWAITING), ("commune_chairman", S.AWAITING), ("enterprise_user", S.AWAITING),
])
def test_status_on_save_depends_on_who_enters(world, role, expected):
    obj = feature_save(actor=world.users[role], obj=entry_for(world, role))
    assert obj.approval_status == expected
    assert obj.entered_by == world.users[role].organisation
    assert obj.admin_unit == world.unit_a  # derived from the geometry in PostGIS
    assert AuditEvent.objects.filter(action=f"{obj._meta.model_name}.create", object_id=str(obj.pk)).exists()


@pytest.mark.parametrize("role", ["ez_officer", "enterprise_user", "connection"])
def test_roles_cannot_enter_outside_their_scope(world, role):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        feature_save(actor=world.users[role], obj=village(world))
    assert not CraftVillage.objects.exists()


def test_commune_entry_goes_draft_to_approved_by_its_chairman(world):
    entry = feature_save(actor=world.users["commune_officer"], obj=village(world))
    assert not CraftVillage.objects.approved().filter(pk=entry.pk).exists()  # does not count yet
    entry_approve(actor=world.users["commune_chairman"], obj=entry)
    entry.refresh_from_db()
    assert entry.approval_status == S.APPROVED and entry.approved_by == world.users["commune_chairman"]
    assert CraftVillage.objects.approved().filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action="craftvillage.approve", object_id=str(entry.pk)).count() == 1


def test_rejection_needs_a_reason_and_returns_the_entry(world):
    entry = feature_save(actor=world.users["commune_officer"], obj=village(world))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        entry_reject(actor=world.users["commune_chairman"], obj=entry, reason=" ")
    entry_reject(actor=world.users["commune_chairman"], obj=entry, reason="Sai vị trí")
    entry.refresh_from_db()
    assert entry.approval_status == S.REJECTED and entry.rejection_reason == "Sai vị trí"
    # The officer fixes and saves: it waits for approval again.
    feature_save(actor=world.users["commune_officer"], obj=entry, values={"name": "Làng nghề (sửa)"})
    entry.refresh_from_db()
    assert entry.approval_status == S.AWAITING and entry.rejection_reason == ""


@pytest.mark.parametrize("role", ["commune_officer", "enterprise_user", "ez_officer", "connection"])
def test_only_the_chairman_or_department_approves(world, role):
    entry = feature_save(actor=world.users["commune_officer"], obj=village(world))
    with pytest.raises(PermissionDenied):
        entry_approve(actor=world.users[role], obj=entry)
    entry.refresh_from_db()
    assert entry.approval_status == S.AWAITING


def test_chairman_cannot_approve_another_communes_entry(world):
    entry = feature_save(actor=world.users["commune_b_officer"], obj=village(world, unit=world.unit_b))
    with pytest.raises(PermissionDenied):
        entry_approve(actor=world.users["commune_chairman"], obj=entry)


def test_approving_an_approved_entry_is_an_illegal_transition(world):
    entry = feature_save(actor=world.users["dept_officer"], obj=village(world))
    with pytest.raises(TransitionError):
        entry_approve(actor=world.users["dept_admin"], obj=entry)
    with pytest.raises(TransitionError):
        entry_reject(actor=world.users["dept_admin"], obj=entry, reason="x")


def test_edit_of_an_approved_entry_by_a_commune_needs_approval_again(world):
    entry = feature_save(actor=world.users["commune_officer"], obj=village(world))
    entry_approve(actor=world.users["commune_chairman"], obj=entry)
    feature_save(actor=world.users["commune_officer"], obj=entry, values={"households": 12})
    entry.refresh_from_db()
    assert entry.approval_status == S.AWAITING


def test_out_of_vietnam_and_invalid_geometries_are_refused_with_nothing_saved(world):
    from django.core.exceptions import ValidationError

    before = DegradedArea.objects.count()
    bowtie = MultiPolygon(Polygon(((106.5, 20.8), (106.6, 20.9), (106.6, 20.8), (106.5, 20.9), (106.5, 20.8))), srid=4326)
    with pytest.raises(ValidationError) as err:
        feature_save(actor=world.users["dept_officer"],
                     obj=DegradedArea(name="x", kind=DegradedAreaKind.POLLUTED, geom=bowtie))
    assert "geom" in err.value.message_dict
    with pytest.raises(ValidationError):
        feature_save(actor=world.users["dept_officer"], obj=village(world, geom=None) if False else
                     CraftVillage(name="Paris", geom=Point(2.35, 48.85, srid=4326)))
    assert DegradedArea.objects.count() == before and not CraftVillage.objects.filter(name="Paris").exists()


def test_saving_counts_the_units_monthly_update(world):
    feature_save(actor=world.users["commune_officer"], obj=village(world))
    feature_save(actor=world.users["commune_officer"], obj=village(world, name="Làng 2"))
    update = MonthlyUpdate.objects.get(organisation=world.commune_a)
    assert update.changes == 2


def test_draft_then_submit_then_approve(world):
    from layers.services.approval import entry_submit

    entry = feature_save(actor=world.users["commune_officer"], obj=village(world), submit=False)
    assert entry.approval_status == S.DRAFT
    with pytest.raises(TransitionError):
        entry_approve(actor=world.users["commune_chairman"], obj=entry)  # not submitted yet
    entry_submit(actor=world.users["commune_officer"], obj=entry)
    entry_approve(actor=world.users["commune_chairman"], obj=entry)
    entry.refresh_from_db()
    assert entry.approval_status == S.APPROVED
    actions = list(AuditEvent.objects.filter(object_id=str(entry.pk), action__startswith="craftvillage.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["craftvillage.create", "craftvillage.submit", "craftvillage.approve"]


def test_a_commune_cannot_place_an_entry_in_another_commune(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        feature_save(actor=world.users["commune_officer"], obj=village(world, unit=world.unit_b))
    assert not CraftVillage.objects.exists()


def test_an_enterprise_cannot_give_its_facility_to_another_owner(world):
    from django.core.exceptions import PermissionDenied

    from layers.models import Facility

    point = world.unit_a.geom.point_on_surface
    mine = feature_save(actor=world.users["enterprise_user"],
                        obj=Facility(name="Của tôi", geom=point, owner_organisation=world.enterprise_a))
    with pytest.raises(PermissionDenied):
        feature_save(actor=world.users["enterprise_user"], obj=mine, values={"owner_organisation": world.enterprise_b})
    mine.refresh_from_db()
    assert mine.owner_organisation == world.enterprise_a
