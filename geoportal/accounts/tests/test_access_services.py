"""Roles and data scope of an account (issue 7): the rules of user_update_access and its audit."""
import pytest
from django.core.exceptions import ValidationError

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from geoportal.accounts.services import user_update_access
from geoportal.audit.models import AuditEvent
from geoportal.scopes import scope_for
from tests.factories import AdministrativeUnitFactory, UserFactory


def _fresh(user):
    """The user as the next request sees it (scope_for caches on the object)."""
    return User.objects.select_related("organisation").get(pk=user.pk)


def test_extra_communes_widen_the_scope_and_the_event_holds_before_and_after(world):
    """Adding commune B to commune A's officer: its scope covers both, the event records both states."""
    admin, officer = world.users["dept_admin"], world.users["commune_officer"]
    assert scope_for(_fresh(officer)).unit_ids == {world.unit_a.pk}

    user_update_access(actor=admin, user=officer, roles=[Role.COMMUNE_OFFICER], organisation=world.commune_a,
                       scope_units=[world.unit_b], reason="Hỗ trợ xã B")

    assert scope_for(_fresh(officer)).unit_ids == {world.unit_a.pk, world.unit_b.pk}
    event = AuditEvent.objects.get(action="user.access", object_id=str(officer.pk))
    assert event.actor_id == admin.pk
    assert event.changes == {
        "before": {"roles": ["commune_officer"], "organisation": world.commune_a.pk, "scope_units": []},
        "after": {"roles": ["commune_officer"], "organisation": world.commune_a.pk, "scope_units": [world.unit_b.pk]},
        "reason": "Hỗ trợ xã B",
    }


def test_moving_an_account_to_another_organisation_and_role(world):
    """A commune officer moved to the Department becomes a department officer: it sees everything."""
    officer = world.users["commune_b_officer"]
    user_update_access(actor=world.users["dept_admin"], user=officer, roles=[Role.DEPT_OFFICER],
                       organisation=world.department, scope_units=[], reason="Điều động")
    fresh = _fresh(officer)
    assert fresh.organisation_id == world.department.pk and fresh.roles == ["dept_officer"]
    assert scope_for(fresh).everything


@pytest.mark.parametrize("target,roles,org,units,field", [
    # roles must fit the kind of organisation (validate_roles)
    ("enterprise_user", [Role.COMMUNE_OFFICER], "enterprise_a", [], "roles"),
    # extra communes on an enterprise account would open whole communes to it
    ("enterprise_user", [Role.ENTERPRISE_USER], "enterprise_a", ["unit_b"], "scope_units"),
    ("ez_officer", [Role.EZ_OFFICER], "ez_board", ["unit_a"], "scope_units"),
    ("connection", [Role.CONNECTION], "agency", ["unit_a"], "scope_units"),
    # one department administrator (the world has admin_t)
    ("dept_officer", [Role.DEPT_ADMIN], "department", [], "roles"),
    # roles without an organisation
    ("enterprise_user", [Role.ENTERPRISE_USER], None, [], "organisation"),
])
def test_invalid_access_is_refused_and_nothing_is_written(world, target, roles, org, units, field):
    """Each refused change leaves the account as it was and writes no event."""
    user = world.users[target]
    before = (list(user.roles), user.organisation_id, set(user.scope_units.values_list("pk", flat=True)))
    with pytest.raises(ValidationError) as err:
        user_update_access(actor=world.users["dept_admin"], user=user, roles=roles,
                           organisation=getattr(world, org) if org else None,
                           scope_units=[getattr(world, u) for u in units], reason="thử")
    assert field in err.value.message_dict
    fresh = _fresh(user)
    assert (fresh.roles, fresh.organisation_id, set(fresh.scope_units.values_list("pk", flat=True))) == before
    assert not AuditEvent.objects.filter(action="user.access").exists()


def test_a_second_admin_is_allowed_once_the_first_is_disabled(world):
    """The rule counts active administrators: after the old one is disabled, another may be named."""
    old = world.users["dept_admin"]
    User.objects.filter(pk=old.pk).update(is_active=False)
    officer = world.users["dept_officer"]
    user_update_access(actor=old, user=officer, roles=[Role.DEPT_ADMIN], organisation=world.department,
                       scope_units=[], reason="Bàn giao quản trị")
    assert _fresh(officer).roles == ["dept_admin"]


def test_the_admin_cannot_remove_their_own_admin_role(world):
    admin = world.users["dept_admin"]
    with pytest.raises(ValidationError) as err:
        user_update_access(actor=admin, user=admin, roles=[Role.DEPT_OFFICER], organisation=world.department,
                           scope_units=[], reason="nhầm")
    assert "roles" in err.value.message_dict
    assert _fresh(admin).roles == ["dept_admin"]


def test_the_account_holder_must_hand_over_before_moving(world):
    officer = world.users["commune_officer"]
    world.commune_a.account_holder = officer
    world.commune_a.save()
    with pytest.raises(ValidationError) as err:
        user_update_access(actor=world.users["dept_admin"], user=officer, roles=[Role.COMMUNE_OFFICER],
                           organisation=world.commune_b, scope_units=[], reason="chuyển xã")
    assert "organisation" in err.value.message_dict


def test_a_reason_is_required_and_no_change_writes_no_event(world):
    officer = world.users["commune_officer"]
    admin = world.users["dept_admin"]
    with pytest.raises(ValidationError) as err:
        user_update_access(actor=admin, user=officer, roles=[Role.COMMUNE_OFFICER], organisation=world.commune_a,
                           scope_units=[], reason="  ")
    assert "reason" in err.value.message_dict
    user_update_access(actor=admin, user=officer, roles=[Role.COMMUNE_OFFICER], organisation=world.commune_a,
                       scope_units=[], reason="không đổi")
    assert not AuditEvent.objects.filter(action="user.access").exists()


def test_removing_extra_communes_narrows_the_scope(world):
    officer = UserFactory(organisation=world.commune_a, roles=[Role.COMMUNE_OFFICER])
    extra = AdministrativeUnitFactory()
    officer.scope_units.set([extra, world.unit_b])
    user_update_access(actor=world.users["dept_admin"], user=officer, roles=[Role.COMMUNE_OFFICER],
                       organisation=world.commune_a, scope_units=[world.unit_b], reason="thu hẹp")
    assert scope_for(_fresh(officer)).unit_ids == {world.unit_a.pk, world.unit_b.pk}
    event = AuditEvent.objects.get(action="user.access")
    assert event.changes["before"]["scope_units"] == sorted([extra.pk, world.unit_b.pk])
    assert event.changes["after"]["scope_units"] == [world.unit_b.pk]
