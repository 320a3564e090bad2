"""Login, lockout, password reset, and the API's error bodies for bad input."""
import pytest
from django.core import mail

from geoportal.audit.models import AuditEvent

PASSWORD = "Test-password-123"


def test_bad_login_gives_a_form_error_in_vietnamese(world, client):
    r = client.post("/accounts/login/", {"username": "dn_a", "password": "sai-mat-khau"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Vui lòng nhập" in body or "không đúng" in body or "chính xác" in body  # Django's vi message
    assert AuditEvent.objects.filter(action="auth.login_failed", changes__username="dn_a").exists()
    assert "_auth_user_id" not in client.session


def test_good_login_and_logout_are_audited(world, client):
    r = client.post("/accounts/login/", {"username": "dn_a", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/api/v1/me/").status_code == 401
    actions = set(AuditEvent.objects.filter(actor=world.users["enterprise_user"]).values_list("action", flat=True))
    assert {"auth.login", "auth.logout"} <= actions


def test_lockout_after_repeated_failures(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "dn_a", "password": "wrong"})
    # Even the right password is refused while locked, with the lockout page (429).
    r = client.post("/accounts/login/", {"username": "dn_a", "password": PASSWORD})
    assert r.status_code == 429
    assert "tạm khóa" in r.content.decode() or "locked" in r.content.decode().lower()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    assert client.post("/accounts/login/", {"username": "xa_a", "password": PASSWORD}).status_code == 302


def test_password_reset_sends_a_link(world, client):
    user = world.users["enterprise_user"]
    user.email = "dn_a@example.test"
    user.save()
    r = client.post("/accounts/password/reset/", {"email": "dn_a@example.test"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    assert r.status_code == 200
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Token hpg_wrong", "Bearer", "Bearer a b"])
def test_bad_token_is_a_401_problem(db, client, header):
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert r.status_code == 401
    body = r.json()
    assert r["Content-Type"] == "application/problem+json"
    assert body["status"] == 401 and body["code"] == "authentication_failed" and body["title"]


@pytest.mark.parametrize("payload", ['{"to_user": 1, "reason":', "[1, 2", '{"a": NaN}' * 1, "\x00\xff"])
def test_malformed_json_is_a_400_problem(world, client, payload):
    client.force_login(world.users["dept_admin"])
    r = client.post(f"/api/v1/organisations/{world.commune_a.pk}/handover/", payload, content_type="application/json")
    assert r.status_code == 400, r.content
    assert r.json()["code"] in ("parse_error", "validation_error")


def test_validation_errors_name_the_field(world, client):
    client.force_login(world.users["dept_admin"])
    r = client.post(f"/api/v1/organisations/{world.commune_a.pk}/handover/", {"to_user": "abc"}, content_type="application/json")
    body = r.json()
    assert r.status_code == 400 and set(body["errors"]) == {"to_user", "reason"}


def test_service_validation_error_is_a_400(world, client):
    client.force_login(world.users["dept_admin"])
    r = client.post(f"/api/v1/organisations/{world.commune_a.pk}/handover/",
                    {"to_user": world.users["enterprise_user"].pk, "reason": "x"}, content_type="application/json")
    assert r.status_code == 400 and "to_user" in r.json()["errors"]


def test_unknown_api_url_is_a_json_404(db, client):
    r = client.get("/api/v1/does-not-exist/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "106,21,107,20", "106,20,107,inf", "106,20,400,21"])
def test_bad_bbox_is_a_400(db, client, bbox):
    r = client.get(f"/api/v1/administrative-units.geojson?bbox={bbox}")
    assert r.status_code == 400 and "bbox" in r.json()["errors"]


def test_unexpected_error_is_a_generic_500_without_traceback(db, client, monkeypatch):
    from geoportal.organisations.api import views

    def boom(*a, **k):
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(views, "admin_units_geojson", boom)
    client.raise_request_exception = False
    r = client.get("/api/v1/administrative-units.geojson")
    assert r.status_code == 500
    body = r.json()
    assert body["code"] == "server_error" and body["request_id"] == r["X-Request-ID"]
    assert "secret" not in r.content.decode() and "Traceback" not in r.content.decode()


@pytest.mark.parametrize("accept", ["application/geo+json", "application/json", "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_geojson_endpoint_honours_accept(db, client, accept):
    r = client.get("/api/v1/administrative-units.geojson", HTTP_ACCEPT=accept)
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    assert r.json()["type"] == "FeatureCollection"


def test_oversized_request_is_refused_before_reading(db, client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    r = client.generic("POST", "/api/v1/craft-villages/", b"x" * (3 * 1024 * 1024), content_type="application/json")
    assert r.status_code == 413 and r.json()["code"] == "too_large"
