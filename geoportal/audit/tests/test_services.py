"""The audit row exists exactly when the change does; the log is append-only."""
import pytest
from django.db import DatabaseError, connection, transaction

from geoportal.accounts.services import user_mark_reviewed
from geoportal.audit.models import AuditEvent
from geoportal.audit.services import audit_record, change_digest
from geoportal.core.middleware import RequestContext, _current


def test_audit_row_written_with_the_change(world):
    officer, target = world.users["dept_officer"], world.users["enterprise_user"]
    user_mark_reviewed(actor=officer, user=target, note="kiểm tra định kỳ")
    event = AuditEvent.objects.get(action="user.review")
    target.refresh_from_db()
    assert event.actor == officer and event.organisation == world.department
    assert event.object_id == str(target.pk) and event.changes["note"] == "kiểm tra định kỳ"
    assert event.changes["last_reviewed_at"][1] is not None
    assert event.digest == change_digest(action="user.review", object_ref=f"accounts.user:{target.pk}",
                                         changes=event.changes)


def test_audit_row_absent_when_the_change_rolls_back(world):
    officer, target = world.users["dept_officer"], world.users["enterprise_user"]
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            user_mark_reviewed(actor=officer, user=target)
            assert AuditEvent.objects.count() == before + 1
            raise RuntimeError("the caller fails after the service")
    target.refresh_from_db()
    assert target.last_reviewed_at is None
    assert AuditEvent.objects.count() == before


def test_audit_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError, match="inside transaction"):
        audit_record(action="x")


def test_request_ip_and_id_are_recorded(world):
    token = _current.set(RequestContext(request_id="abc123", ip="10.1.2.3"))
    try:
        with transaction.atomic():
            event = audit_record(actor=world.users["dept_admin"], action="test.ip")
    finally:
        _current.reset(token)
    assert (event.ip, event.request_id) == ("10.1.2.3", "abc123")


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_log_is_append_only_in_the_database(world, statement):
    with transaction.atomic():
        event = audit_record(action="test.append_only")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"


def test_audit_page_filters(world, client):
    with transaction.atomic():
        audit_record(actor=world.users["dept_officer"], action="user.review", obj=world.users["enterprise_user"])
        audit_record(actor=world.users["dept_admin"], action="organisation.handover", obj=world.enterprise_a)
    client.force_login(world.users["dept_admin"])
    body = client.get("/audit/?action=organisation.").content.decode()
    assert "organisation.handover" in body and "user.review" not in body
    api = client.get("/api/v1/audit-events/?actor=officer_t").json()
    assert {e["action"] for e in api["results"]} == {"user.review"}
