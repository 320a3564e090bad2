"""The periodic account review (/accounts/users/review/): the list, marking reviewed and disabling in bulk."""
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from geoportal.accounts.models import ApiToken, User
from geoportal.accounts.services import token_create
from geoportal.audit.models import AuditEvent
from tests.factories import UserFactory
from tests.test_permission_matrix import ROLES, _client_for

URL = "/accounts/users/review/"
QUEUE = {"anonymous": 302, "dept_admin": 200, "dept_officer": 200, "ez_officer": 403,
         "commune_officer": 403, "commune_chairman": 403, "enterprise_user": 403, "connection": 403}


def _listed(response) -> set[str]:
    table = re.search(r'data-testid="review-table">(.*?)</table>', response.content.decode(), re.S).group(1)
    return set(re.findall(r'<a href="/accounts/users/\d+/">([^<]+)</a>', table))


@pytest.fixture
def cases(world):
    """Accounts placed on either side of both limits, and the world's users made recent and reviewed."""
    now = timezone.now()
    review_days, unused_days = settings.ACCOUNT_REVIEW_INTERVAL_DAYS, settings.ACCOUNT_UNUSED_DAYS
    User.objects.update(last_reviewed_at=now - timedelta(days=1), last_login=now - timedelta(days=1))
    make = UserFactory
    return {
        "never_reviewed": make(username="chua_ra_soat", last_reviewed_at=None, last_login=now),
        "review_old": make(username="ra_soat_cu", last_reviewed_at=now - timedelta(days=review_days + 1),
                           last_login=now),
        "review_recent": make(username="ra_soat_moi", last_reviewed_at=now - timedelta(days=review_days - 1),
                              last_login=now),
        "unused": make(username="khong_dung", last_reviewed_at=now, last_login=now - timedelta(days=unused_days + 1)),
        "used": make(username="van_dung", last_reviewed_at=now, last_login=now - timedelta(days=unused_days - 1)),
        "never_logged_in_old": make(username="chua_dang_nhap", last_reviewed_at=now, last_login=None,
                                    date_joined=now - timedelta(days=unused_days + 5)),
        "never_logged_in_new": make(username="moi_tao", last_reviewed_at=now, last_login=None, date_joined=now),
        "disabled": make(username="da_khoa", last_reviewed_at=None, last_login=None, is_active=False,
                         date_joined=now - timedelta(days=400)),
    }


@pytest.mark.parametrize("role", ROLES)
def test_review_queue_by_role(world, client, role):
    c = _client_for(role, world, client)
    r = c.get(URL)
    assert r.status_code == QUEUE[role]
    if r.status_code == 302:
        assert r["Location"].startswith("/accounts/login/")


def test_the_queue_lists_exactly_the_due_and_unused_accounts(cases, client, world, django_assert_max_num_queries):
    client.force_login(world.users["dept_officer"])
    with django_assert_max_num_queries(12):
        r = client.get(URL)
    assert _listed(r) == {"chua_ra_soat", "ra_soat_cu", "khong_dung", "chua_dang_nhap"}
    assert _listed(client.get(URL + "?show=due")) == {"chua_ra_soat", "ra_soat_cu"}
    assert _listed(client.get(URL + "?show=unused")) == {"khong_dung", "chua_dang_nhap"}
    # The same sets as the querysets the rest of the portal uses.
    assert {u.username for u in User.objects.due_for_review()} == {"chua_ra_soat", "ra_soat_cu"}


def test_query_count_does_not_grow_with_the_list(cases, client, world, django_assert_max_num_queries):
    now = timezone.now()
    UserFactory.create_batch(30, last_reviewed_at=None, last_login=now)
    client.force_login(world.users["dept_admin"])
    with django_assert_max_num_queries(12):
        r = client.get(URL)
    assert len(_listed(r)) == 34


def test_bulk_review_marks_each_account_with_its_own_event(cases, client, world):
    officer = world.users["dept_officer"]
    client.force_login(officer)
    targets = [cases["never_reviewed"], cases["review_old"]]
    r = client.post(URL, {"action": "review", "accounts": [u.pk for u in targets], "reason": "Rà soát quý 3"})
    assert r.status_code == 302 and r["Location"] == URL
    for user in targets:
        user.refresh_from_db()
        assert user.last_reviewed_by_id == officer.pk
        assert timezone.now() - user.last_reviewed_at < timedelta(minutes=1)
        event = AuditEvent.objects.get(action="user.review", object_id=str(user.pk))
        assert event.actor_id == officer.pk and event.changes["note"] == "Rà soát quý 3"
    assert AuditEvent.objects.filter(action="user.review").count() == 2
    assert _listed(client.get(URL)) == {"khong_dung", "chua_dang_nhap"}


def test_bulk_disable_ends_access_and_revokes_tokens(cases, client, world, api_client):
    admin = world.users["dept_admin"]
    unused, old = cases["unused"], cases["never_logged_in_old"]
    token, raw = token_create(actor=admin, user=unused, name="script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 200
    client.force_login(admin)
    r = client.post(URL, {"action": "disable", "accounts": [unused.pk, old.pk], "reason": "Không dùng 90 ngày"})
    assert r.status_code == 302
    assert set(User.objects.filter(pk__in=[unused.pk, old.pk]).values_list("is_active", flat=True)) == {False}
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client.get("/api/v1/me/").status_code == 401
    events = AuditEvent.objects.filter(action="user.deactivate").order_by("object_id")
    assert sorted(e.object_id for e in events) == sorted([str(unused.pk), str(old.pk)])
    assert {e.changes["reason"] for e in events} == {"Không dùng 90 ngày"}
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).count() == 1


def test_disabling_oneself_refuses_the_whole_batch(cases, client, world):
    admin = world.users["dept_admin"]
    client.force_login(admin)
    victim = cases["unused"]
    r = client.post(URL, {"action": "disable", "accounts": [victim.pk, admin.pk], "reason": "x"},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "Bạn không thể tự khóa tài khoản của mình." in r.content.decode()  # Vietnamese first
    victim.refresh_from_db()
    admin.refresh_from_db()
    assert victim.is_active and admin.is_active
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()


def test_a_department_officer_reviews_but_cannot_disable(cases, client, world):
    client.force_login(world.users["dept_officer"])
    target = cases["unused"]
    r = client.post(URL, {"action": "disable", "accounts": [target.pk], "reason": "x"})
    assert r.status_code == 403
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("data,field", [
    ({"action": "disable", "reason": "x"}, "accounts"),  # nothing selected
    ({"action": "disable", "accounts": "__unused__"}, "reason"),  # disabling needs a reason
    ({"action": "review", "accounts": "__disabled__"}, "accounts"),  # a disabled account is not a choice
    ({"action": "delete", "accounts": "__unused__"}, "action"),
])
def test_bad_posts_are_form_errors(cases, client, world, data, field):
    client.force_login(world.users["dept_admin"])
    data = {k: (cases[v.strip("_")].pk if isinstance(v, str) and v.startswith("__") else v) for k, v in data.items()}
    r = client.post(URL, data)
    assert r.status_code == 400
    assert field in r.context["form"].errors
    assert not AuditEvent.objects.filter(action__in=["user.review", "user.deactivate"]).exists()


def test_tokens_are_counted_on_the_queue(cases, client, world):
    admin = world.users["dept_admin"]
    token_create(actor=admin, user=cases["unused"], name="a")
    revoked, _ = token_create(actor=admin, user=cases["unused"], name="b")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    client.force_login(admin)
    html = client.get(URL + "?show=unused").content.decode()
    row = re.search(r'<tr>\s*<td><input[^>]*value="%d".*?</tr>' % cases["unused"].pk, html, re.S).group(0)
    assert re.search(r"<td>1</td>\s*</tr>", row)
