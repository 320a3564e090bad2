"""Vietnamese first, English available; Vietnamese dates; Vietnam time."""
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path

import polib
from django.template import Context, Template
from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_vietnamese_translation():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries()


def test_pages_are_vietnamese_by_default_even_for_english_browsers(db, client):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = r.content.decode()
    assert '<html lang="vi">' in body and "Cổng thông tin môi trường Hải Phòng" in body


def test_language_switch_to_english(db, client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body and "Hai Phong environmental geoportal" in body


def test_dates_are_vietnamese_and_times_in_vietnam():
    moment = datetime(2026, 1, 14, 17, 30, tzinfo=dt_timezone.utc)  # 00:30 on 15 Jan in Hanoi
    with translation.override("vi"):
        out = Template('{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m|date:"SHORT_DATE_FORMAT" }}').render(Context({"m": moment}))
    assert out == "00:30 15/01/2026|15/01/2026"
