"""Account services: handover, review, roles, tokens."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from geoportal.accounts.services import (
    account_handover,
    token_create,
    token_lookup,
    token_revoke,
    user_create,
    user_set_active,
)
from geoportal.audit.models import AuditEvent
from tests.factories import UserFactory


def test_handover_transfers_account_and_disables_previous_holder(world, client):
    admin = world.users["dept_admin"]
    org = world.commune_a
    old = world.users["commune_officer"]
    org.account_holder = old
    org.save()
    new = UserFactory(username="xa_a_moi", organisation=org, roles=["commune_officer"])
    client.force_login(old)  # an open session of the previous holder
    assert client.get("/api/v1/me/").status_code == 200

    handover = account_handover(actor=admin, organisation=org, to_user=new, reason="Chuyển công tác")

    org.refresh_from_db()
    old.refresh_from_db()
    assert org.account_holder == new and handover.from_user == old
    assert not old.is_active
    assert client.get("/api/v1/me/").status_code == 401  # the old session is gone at once
    event = AuditEvent.objects.get(action="organisation.handover")
    assert event.changes["previous_username"] == "xa_a" and event.changes["new_username"] == "xa_a_moi"


def test_handover_to_someone_outside_the_organisation_is_refused(world):
    with pytest.raises(ValidationError) as err:
        account_handover(actor=world.users["dept_admin"], organisation=world.commune_a,
                         to_user=world.users["enterprise_user"], reason="x")
    assert "to_user" in err.value.message_dict
    assert not AuditEvent.objects.filter(action="organisation.handover").exists()


def test_handover_needs_a_reason(world):
    with pytest.raises(ValidationError):
        account_handover(actor=world.users["dept_admin"], organisation=world.commune_a,
                         to_user=world.users["commune_officer"], reason="  ")


def test_roles_must_fit_the_organisation(world):
    with pytest.raises(ValidationError) as err:
        user_create(actor=None, username="sai", organisation=world.enterprise_a, roles=["dept_admin"])
    assert "roles" in err.value.message_dict
    ok = user_create(actor=None, username="dung", organisation=world.enterprise_a, roles=["enterprise_user"])
    assert AuditEvent.objects.filter(action="user.create", object_id=str(ok.pk)).exists()


def test_deactivation_ends_access_immediately(world, client):
    user = world.users["enterprise_user"]
    client.force_login(user)
    user_set_active(actor=world.users["dept_admin"], user=user, active=False, reason="rà soát định kỳ")
    assert client.get("/api/v1/me/").status_code == 401


def test_tokens_authenticate_and_revocation_is_immediate(world, api_client):
    user = world.users["connection"]
    token, raw = token_create(actor=world.users["dept_admin"], user=user, name="Cục MT")
    assert token.key_hash != raw and raw.startswith("hpg_")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").json()["username"] == user.username
    token_revoke(actor=world.users["dept_admin"], token=token)
    r = api_client.get("/api/v1/me/")
    assert r.status_code == 401 and r.json()["code"] == "authentication_failed"


def test_expired_token_is_refused(world, api_client):
    token, raw = token_create(actor=None, user=world.users["connection"], name="t",
                              expires_at=timezone.now() + timedelta(days=1))
    assert token_lookup(raw) is not None
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_lookup(raw) is None
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    r = api_client.get("/api/v1/me/")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")
