"""Documents attached to features and records (issue 3): file checks, storage, audit,
and who may upload, download and delete.

Every file is built here, byte by byte or with zipfile/openpyxl/Pillow, so each test
states exactly what it feeds the checks. The test settings keep files in Django's
InMemoryStorage.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import io
import re
import struct
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from geoportal.audit.models import AuditEvent
from layers.choices import ApprovalStatus, DocumentKind
from layers.documents import files, services
from layers.documents.files import (
    DOCX_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    ascii_fallback,
    check_archive_limits,
    content_disposition,
    sanitise_filename,
    sniff,
)
from layers.documents.services import document_attach, document_delete
from layers.models import Document
from layers.tests.doc_factories import FacilityFactory, PermitFactory

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024

# --- building files ------------------------------------------------------------------------


def pdf_bytes(text: str = "Giay phep") -> bytes:
    """A minimal, well-formed one-page PDF with a correct xref table."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes() -> bytes:
    """A 1x1 grey PNG: signature, IHDR, IDAT, IEND with their CRCs."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (20, 120, 60)).save(buf, "JPEG")
    return buf.getvalue()


CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OFFICE_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def docx_bytes(*, main_type: str = WORD_MAIN, extra: dict[str, bytes] | None = None,
               content_types: bytes | None = None) -> bytes:
    """A minimal DOCX: [Content_Types].xml, _rels/.rels and word/document.xml."""
    types = content_types or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>').encode()
    parts = {
        "[Content_Types].xml": types,
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">'
                        f'<Relationship Id="rId1" Type="{OFFICE_DOC_REL}" Target="word/document.xml"/>'
                        '</Relationships>').encode(),
        "word/document.xml": ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
                              '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                              '<w:t>Biên bản kiểm tra</w:t></w:r></w:p></w:body></w:document>').encode(),
        **(extra or {}),
    }
    return make_zip(parts)


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "Nhiệt độ (°C)"
    wb.active["A2"] = 28.5
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, edit=None) -> bytes:
    """Copy a ZIP, optionally editing each part (edit(name, bytes) -> bytes) and adding parts."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            body = zf.read(info)
            parts[info.filename] = edit(info.filename, body) if edit else body
    parts.update(add or {})
    return make_zip(parts)


def with_declared_size(data: bytes, part: str, size: int) -> bytes:
    """Forge the uncompressed size of `part` in the central directory (the bytes stay small)."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack("<H", out[at + 28: at + 30])[0]
        if out[at + 46: at + 46 + name_len].decode() == part:
            out[at + 24: at + 28] = struct.pack("<I", size)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise AssertionError(part)


def macro_xlsx() -> bytes:
    """An XLSX turned into a macro-enabled workbook (XLSM content) under the .xlsx name."""
    def edit(name, body):
        if name == "[Content_Types].xml":
            body = body.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            return body.replace(b"</Types>", b'<Override PartName="/xl/vbaProject.bin" '
                                             b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        return body
    return rezip(xlsx_bytes(), edit=edit, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The client's content type is deliberately wrong: it must never be trusted.
    return SimpleUploadedFile(name, content, content_type="text/html")


def stored_files() -> set[str]:
    """Every file under documents/ in the (in-memory) default storage."""
    found: set[str] = set()

    def walk(path: str) -> None:
        try:
            dirs, names = default_storage.listdir(path)
        except FileNotFoundError:
            return
        found.update(f"{path}/{n}" for n in names)
        for d in dirs:
            walk(f"{path}/{d}")

    walk("documents")
    return found


def read_stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture
def facility(world):
    """An approved facility of enterprise A in commune A."""
    return FacilityFactory(admin_unit=world.unit_a, owner_organisation=world.enterprise_a,
                           approval_status=ApprovalStatus.APPROVED)


@pytest.fixture
def owner(world):
    return world.users["enterprise_user"]


def attach(actor, target, name="bao-cao.pdf", content=None, **kw) -> Document:
    kw.setdefault("title", "")
    kw.setdefault("kind", DocumentKind.REPORT)
    return document_attach(actor=actor, target=target, upload=upload(name, pdf_bytes() if content is None else content), **kw)


def file_error(exc_info) -> ValidationError:
    return exc_info.value.error_dict["file"][0]


# --- pure functions (no database) -------------------------------------------------------------


@pytest.mark.parametrize("raw,expected", [
    ("Báo cáo quan trắc.pdf", "Báo cáo quan trắc.pdf"),
    ("../../etc/cron.d/evil.pdf", "evil.pdf"),
    ("..\\..\\Windows\\evil.pdf", "evil.pdf"),
    ("C:\\Users\\a\\Giấy phép.docx", "Giấy phép.docx"),
    ("a\x00b\r\nc.pdf", "abc.pdf"),
    ("\u202egpj.pdf", "gpj.pdf"),                              # right-to-left override removed
    ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),                 # NFD (macOS) becomes NFC
    ('x<y>:"z"|?*.png', "xyz.png"),
    ("   .hidden.pdf  ", "hidden.pdf"),
    ("..", ""),
    ("x" * 300 + ".xlsx", "x" * 195 + ".xlsx"),
])
def test_sanitise_filename(raw, expected):
    """The kept name has no path, no control or format characters, no leading dot and at
    most 200 characters, with the extension kept."""
    assert sanitise_filename(raw) == expected


def test_content_disposition_has_ascii_fallback_and_rfc5987_name():
    header = content_disposition("Giấy phép môi trường Đình Vũ.pdf")
    assert header.startswith('attachment; filename="Giay phep moi truong Dinh Vu.pdf"; ')
    assert header.endswith("filename*=UTF-8''Gi%E1%BA%A5y%20ph%C3%A9p%20m%C3%B4i%20tr%C6%B0%E1%BB%9Dng%20"
                           "%C4%90%C3%ACnh%20V%C5%A9.pdf")
    assert ascii_fallback('a"b\\c%.pdf') == "a_b_c_.pdf"
    assert ascii_fallback("漢字.pdf") == "document.pdf"  # nothing left of the stem


@pytest.mark.parametrize("head,kind", [
    (pdf_bytes(), "pdf"), (png_bytes(), "png"), (jpeg_bytes(), "jpeg"), (xlsx_bytes(), "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "ole"), (b"MZ\x90\x00\x03", "program"),
    (b"\x7fELF\x02\x01", "program"), (b"\xef\xbb\xbf  <svg onload=alert(1)>", "markup"),
    ("<html>".encode("utf-16"), "markup"), (b"GIF89a", "unknown"), (b"II*\x00", "unknown"),
])
def test_sniff(head, kind):
    assert sniff(head[:1024]) == kind


def test_archive_limits_read_the_central_directory_only():
    """Entry count, unpacked size and ratio are judged from ZipInfo alone."""
    def info(name, size, packed):
        zi = zipfile.ZipInfo(name)
        zi.file_size, zi.compress_size = size, packed
        return zi

    check_archive_limits([info("a.xml", 5 * MiB, 200 * 1024)], label="XLSX")  # 25:1 is fine
    with pytest.raises(ValidationError) as exc:
        check_archive_limits([info("a.xml", 5 * MiB, 5 * 1024)], label="XLSX")
    assert exc.value.code == "archive_ratio"
    with pytest.raises(ValidationError) as exc:
        check_archive_limits([info("a.xml", 200 * MiB, 100 * MiB), info("b.xml", 60 * MiB, 30 * MiB)], label="XLSX")
    assert exc.value.code == "archive_too_large"
    with pytest.raises(ValidationError) as exc:
        check_archive_limits([info(f"p{i}.xml", 10, 10) for i in range(1001)], label="XLSX")
    assert exc.value.code == "archive_entries"
    with pytest.raises(ValidationError) as exc:
        check_archive_limits([info("xl/a.xml", 10, 10), info("XL/A.xml", 10, 10)], label="XLSX")
    assert exc.value.code == "damaged"


# --- attaching: accepted files --------------------------------------------------------------


@pytest.mark.parametrize("name,build,media_type,ext", [
    ("Giấy phép môi trường.pdf", pdf_bytes, "application/pdf", ".pdf"),
    ("Ảnh hiện trường.png", png_bytes, "image/png", ".png"),
    ("IMG_0001.JPG", jpeg_bytes, "image/jpeg", ".jpg"),
    ("Biên bản.docx", docx_bytes, DOCX_MEDIA_TYPE, ".docx"),
    ("Số liệu quan trắc.xlsx", xlsx_bytes, XLSX_MEDIA_TYPE, ".xlsx"),
])
def test_accepted_files_are_stored_hashed_and_audited(world, facility, owner, name, build, media_type, ext):
    """A valid file is stored under a random name with its SHA-256; one audit row."""
    content = build()
    before = stored_files()
    doc = attach(owner, facility, name, content, title="  Tài liệu   thử ")
    doc.refresh_from_db()
    assert doc.target == facility and doc.uploaded_by == owner
    assert doc.title == "Tài liệu thử"
    assert doc.original_name == name and doc.media_type == media_type and doc.size == len(content)
    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}" + re.escape(ext), doc.file.name)
    assert stored_files() - before == {doc.file.name}
    stored = read_stored(doc.file.name)
    assert stored == content
    assert doc.sha256 == hashlib.sha256(stored).hexdigest()
    event = AuditEvent.objects.get(action="document.create", object_id=str(doc.pk))
    assert event.actor == owner
    assert event.changes["sha256"] == doc.sha256 and event.changes["file"] == doc.file.name
    assert event.changes["target"] == f"layers.facility:{facility.pk}"


def test_title_defaults_to_the_file_name(facility, owner):
    assert attach(owner, facility, "Quyết định 123.pdf").title == "Quyết định 123"


def test_traversal_name_is_only_metadata(facility, owner):
    """A "../" name is stored under a random name; only the sanitised name is kept."""
    doc = attach(owner, facility, "../../../etc/cron.d/evil.pdf")
    assert doc.original_name == "evil.pdf"
    assert doc.file.name.startswith("documents/") and ".." not in doc.file.name and "evil" not in doc.file.name
    assert read_stored(doc.file.name) == pdf_bytes()


def test_attach_to_a_record(world, facility, owner):
    """Records (here a permit) take documents through the same scope rules."""
    permit = PermitFactory(facility=facility)
    doc = attach(owner, permit, "gpmt.pdf")
    assert doc.target == permit
    other = PermitFactory(facility=FacilityFactory(admin_unit=world.unit_b, owner_organisation=world.enterprise_b))
    with pytest.raises(PermissionDenied):
        attach(owner, other, "gpmt.pdf")


# --- attaching: refused files -------------------------------------------------------------


def _docx_without_word() -> bytes:
    return make_zip({"[Content_Types].xml": b'<Types xmlns="%s"/>' % CT_NS.encode(), "readme.txt": b"hello"})


def _docx_remote_template() -> bytes:
    rels = (f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId9" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
            'Target="http://127.0.0.1:9/evil.dotm" TargetMode="External"/></Relationships>').encode()
    return docx_bytes(extra={"word/_rels/settings.xml.rels": rels})


def _docx_with_hyperlink() -> bytes:
    rels = (f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId5" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
            'Target="https://moitruong.haiphong.gov.vn/" TargetMode="External"/></Relationships>').encode()
    return docx_bytes(extra={"word/_rels/document.xml.rels": rels})


REFUSED = [
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "content_mismatch"),
    ("trang.html", b"<!doctype html><script>alert(1)</script>", "active_content"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "active_content"),
    ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "active_content"),
    ("bao-cao.pdf", png_bytes(), "content_mismatch"),
    ("bien-ban.docx", _docx_without_word(), "content_mismatch"),
    ("so-lieu.xlsx", docx_bytes(), "content_mismatch"),
    ("bien-ban.docx", b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    ("bien-ban.docx", docx_bytes(content_types=b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x "y">]><Types/>'),
     "damaged"),
    ("macro.docm", docx_bytes(), "macro"),
    ("macro.xlsx", macro_xlsx(), "macro"),
    ("macro.docx", docx_bytes(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"), "macro"),
    ("activex.docx", docx_bytes(extra={"word/activeX/activeX1.xml": b"<ax/>"}), "macro"),
    ("mau.docx", _docx_remote_template(), "external_content"),
    ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "legacy_office"),
    ("cu.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "legacy_office"),
    ("ban-do.tif", b"II*\x00" + b"\x00" * 100, "type_not_allowed"),
    ("khong-duoi", pdf_bytes(), "no_extension"),
    ("rong.pdf", b"", "empty"),
]


@pytest.mark.parametrize("name,content,code", REFUSED, ids=[f"{n}-{c}" for n, _, c in REFUSED])
def test_refused_files_leave_nothing_behind(facility, owner, name, content, code):
    """Each refusal names its problem; no row, no stored file, no audit event."""
    before = stored_files()
    with pytest.raises(ValidationError) as exc:
        attach(owner, facility, name, content)
    assert file_error(exc).code == code
    assert not Document.objects.exists()
    assert stored_files() == before
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


def test_a_docx_with_an_ordinary_hyperlink_is_accepted(facility, owner):
    assert attach(owner, facility, "lien-ket.docx", _docx_with_hyperlink()).media_type == DOCX_MEDIA_TYPE


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_oversized_file_is_refused(facility, owner):
    with pytest.raises(ValidationError) as exc:
        attach(owner, facility, "lon.pdf", pdf_bytes("x" * 2000))
    assert file_error(exc).code == "too_large"
    assert not Document.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_size_is_counted_while_streaming_not_taken_from_the_client(facility, owner):
    """A declared size that lies does not get past the limit."""
    lying = upload("lon.pdf", pdf_bytes("x" * 2000))
    lying.size = 10
    with pytest.raises(ValidationError) as exc:
        document_attach(actor=owner, target=facility, upload=lying, title="", kind=DocumentKind.REPORT)
    assert file_error(exc).code == "too_large"


def test_images_have_a_lower_cap_than_documents(facility, owner, monkeypatch):
    png = png_bytes()
    monkeypatch.setitem(files.ACCEPTED_TYPES, ".png", replace(files.ACCEPTED_TYPES[".png"], max_bytes=len(png) - 1))
    with pytest.raises(ValidationError) as exc:
        attach(owner, facility, "anh.png", png)
    assert file_error(exc).code == "too_large"
    assert "PNG" in file_error(exc).message
    assert attach(owner, facility, "bao-cao.pdf", pdf_bytes("y" * len(png))).size > len(png)


@pytest.fixture
def zip_open_spy(monkeypatch):
    """Records every member zipfile decompresses."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    return opened


@pytest.mark.parametrize("build,code", [
    (lambda: rezip(xlsx_bytes(), add={"xl/worksheets/sheet9.xml": b"\x00" * (8 * MiB)}), "archive_ratio"),
    (lambda: with_declared_size(xlsx_bytes(), "xl/worksheets/sheet1.xml", 0x7FFFFFFF), "archive_too_large"),
    (lambda: rezip(xlsx_bytes(), add={f"xl/media/p{i}.xml": b"<a/>" for i in range(1001)}), "archive_entries"),
])
def test_zip_bomb_disguised_as_xlsx_is_refused_before_decompression(facility, owner, zip_open_spy, build, code):
    """The limits come from the central directory: no member is ever opened."""
    content = build()
    zip_open_spy.clear()  # building the file opened members; only the checks count
    with pytest.raises(ValidationError) as exc:
        attach(owner, facility, "so-lieu.xlsx", content)
    assert file_error(exc).code == code
    assert zip_open_spy == []


def test_valid_xlsx_reads_only_the_package_parts(facility, owner, zip_open_spy):
    """Control for the spy above: a valid workbook opens its small package parts only."""
    content = xlsx_bytes()
    zip_open_spy.clear()
    attach(owner, facility, "so-lieu.xlsx", content)
    assert "[Content_Types].xml" in zip_open_spy
    assert all(n == "[Content_Types].xml" or n.endswith(".rels") for n in zip_open_spy)


# --- attaching: permissions, publishing, failures ---------------------------------------------------


@pytest.mark.parametrize("role,allowed", [
    ("dept_admin", True), ("dept_officer", True), ("ez_officer", False), ("commune_officer", True),
    ("commune_chairman", True), ("enterprise_user", True), ("connection", False),
    ("enterprise_b_user", False), ("commune_b_officer", False),
])
def test_attach_needs_change_on_the_target(world, facility, role, allowed):
    before = stored_files()
    if allowed:
        assert attach(world.users[role], facility).pk
    else:
        with pytest.raises(PermissionDenied):
            attach(world.users[role], facility)
        assert stored_files() == before and not Document.objects.exists()


def test_anonymous_cannot_attach(facility):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        attach(AnonymousUser(), facility)


def test_only_the_department_or_ez_board_publish(world, facility, owner):
    with pytest.raises(ValidationError) as exc:
        attach(owner, facility, is_public=True)
    assert "is_public" in exc.value.error_dict
    assert attach(world.users["dept_officer"], facility, is_public=True).is_public


def test_unknown_kind_is_refused(facility, owner):
    with pytest.raises(ValidationError) as exc:
        attach(owner, facility, kind="virus")
    assert "kind" in exc.value.error_dict


def _explode(*args, **kwargs):
    raise IntegrityError("simulated failure after the file was stored")


@pytest.mark.parametrize("patch", ["audit", "save"])
def test_failed_db_write_leaves_no_orphan_file(facility, owner, monkeypatch, patch):
    """The file is written inside the transaction; when a later step fails it is deleted."""
    saved: list[str] = []
    real_save = default_storage.save

    def recording_save(name, content, *args, **kwargs):
        saved.append(real_save(name, content, *args, **kwargs))
        return saved[-1]

    monkeypatch.setattr(default_storage, "save", recording_save)
    if patch == "audit":
        monkeypatch.setattr(services, "audit_record", _explode)
    else:
        monkeypatch.setattr(Document, "save", _explode)
    before = stored_files()
    with pytest.raises(IntegrityError):
        attach(owner, facility)
    assert len(saved) == 1  # the file really was stored before the failure ...
    assert not default_storage.exists(saved[0])  # ... and removed after it
    assert stored_files() == before
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="document.").exists()


def test_delete_removes_row_and_file_on_commit(world, facility, owner, django_capture_on_commit_callbacks):
    doc = attach(owner, facility)
    name = doc.file.name
    with pytest.raises(PermissionDenied):
        document_delete(actor=world.users["enterprise_b_user"], document=doc)
    assert Document.objects.filter(pk=doc.pk).exists() and default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_delete(actor=owner, document=doc)
        assert default_storage.exists(name)  # not before the commit
    assert len(callbacks) == 1
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.get(action="document.delete")
    assert event.object_id == str(doc.pk) and event.changes["sha256"] == doc.sha256


# --- pages ------------------------------------------------------------------------------------


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _english(client):
    client.cookies["django_language"] = "en"
    return client


UPLOAD_MATRIX = {
    "anonymous": 302, "dept_admin": 200, "dept_officer": 200, "ez_officer": 404, "commune_officer": 200,
    "commune_chairman": 200, "enterprise_user": 200, "connection": 404, "enterprise_b_user": 404,
    "commune_b_officer": 404,
}


@pytest.mark.parametrize("role,expected", UPLOAD_MATRIX.items())
def test_upload_page_matrix(world, client, facility, role, expected):
    """GET and POST of the upload page: login for anonymous, 404 outside the scope."""
    url = reverse("layers:documents:upload", args=["facility", facility.pk])
    _login(client, world, role)
    r = client.get(url)
    assert r.status_code == expected
    if expected == 302:
        assert r["Location"].startswith(reverse("login"))
    r = client.post(url, {"file": upload("gp.pdf", pdf_bytes()), "title": "Giấy phép", "kind": "permit"})
    if expected == 200:
        assert r.status_code == 302 and r["Location"] == url
        assert Document.objects.get().title == "Giấy phép"
    else:
        assert r.status_code == expected
        assert not Document.objects.exists()


@pytest.mark.parametrize("target_type,pk", [("user", 1), ("facility", 999999999), ("facilities", None)])
def test_upload_page_unknown_target_is_404(world, client, facility, target_type, pk):
    _login(client, world, "dept_admin")
    r = client.get(f"/documents/upload/{target_type}/{pk or facility.pk}/")
    assert r.status_code == 404


def test_upload_page_for_a_record(world, client, facility):
    permit = PermitFactory(facility=facility)
    url = reverse("layers:documents:upload", args=["permit", permit.pk])
    assert _login(client, world, "enterprise_user").get(url).status_code == 200
    client.logout()
    assert _login(client, world, "enterprise_b_user").get(url).status_code == 404


def test_upload_page_lists_documents_in_few_queries(world, client, facility, owner,
                                                    django_assert_max_num_queries):
    for i in range(6):
        attach(owner, facility, f"tai-lieu-{i}.pdf")
    _login(client, world, "enterprise_user")
    with django_assert_max_num_queries(10):  # 9 today, whatever the number of documents
        r = client.get(reverse("layers:documents:upload", args=["facility", facility.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and body.count('data-testid="document-table"') == 1
    assert all(f"tai-lieu-{i}.pdf" in body for i in range(6))
    assert '<html lang="vi">' in body  # Vietnamese by default


def test_upload_checks_csrf_although_the_outer_view_is_exempt(world, facility):
    """The size-capping upload handler needs csrf_exempt outside; csrf_protect runs inside."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["enterprise_user"])
    url = reverse("layers:documents:upload", args=["facility", facility.pk])
    r = client.post(url, {"file": upload("gp.pdf", pdf_bytes()), "kind": "permit"})
    assert r.status_code == 403
    assert not Document.objects.exists()
    token = client.get(url).cookies["csrftoken"].value
    r = client.post(url, {"file": upload("gp.pdf", pdf_bytes()), "kind": "permit", "csrfmiddlewaretoken": token})
    assert r.status_code == 302 and Document.objects.count() == 1


@pytest.mark.parametrize("name,content,message", [
    ("virus.exe", b"MZ\x90\x00", "Files of type .exe are not accepted"),
    ("setup.pdf", b"MZ\x90\x00", "does not match its extension .pdf: it looks like a program"),
    ("logo.svg", b"<svg/>", "HTML, SVG and XML files (.svg) are not accepted"),
    ("macro.xlsx", macro_xlsx(), "contains macros"),
])
def test_form_errors_name_the_problem(world, client, facility, name, content, message):
    url = reverse("layers:documents:upload", args=["facility", facility.pk])
    _english(_login(client, world, "enterprise_user"))
    r = client.post(url, {"file": upload(name, content), "kind": "other"})
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Document.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=2048)
def test_too_large_upload_is_dropped_while_streaming(world, client, facility):
    """The upload handler stops storing the part past the limit; the form says why."""
    url = reverse("layers:documents:upload", args=["facility", facility.pk])
    _english(_login(client, world, "enterprise_user"))
    r = client.post(url, {"file": upload("lon.pdf", pdf_bytes("z" * 10_000)), "kind": "other"})
    assert r.status_code == 400
    assert "The file is larger than the limit of 2.0" in r.content.decode()
    assert not Document.objects.exists()


def test_is_public_is_offered_to_publishers_only(world, client, facility):
    url = reverse("layers:documents:upload", args=["facility", facility.pk])
    assert 'name="is_public"' not in _login(client, world, "enterprise_user").get(url).content.decode()
    client.logout()
    assert 'name="is_public"' in _login(client, world, "dept_officer").get(url).content.decode()


DOWNLOAD_MATRIX = {
    "anonymous": 404, "dept_admin": 200, "dept_officer": 200, "ez_officer": 404, "commune_officer": 200,
    "commune_chairman": 200, "enterprise_user": 200, "connection": 404, "enterprise_b_user": 404,
    "commune_b_officer": 404,
}


@pytest.mark.parametrize("role,expected", DOWNLOAD_MATRIX.items())
def test_download_matrix_private_document(world, client, facility, owner, role, expected):
    """A non-public document: whoever may view its (approved) target; 404 for the rest."""
    doc = attach(owner, facility)
    r = _login(client, world, role).get(reverse("layers:documents:download", args=[doc.pk]))
    assert r.status_code == expected
    if expected == 200:
        assert b"".join(r.streaming_content) == pdf_bytes()


@pytest.mark.parametrize("status,anonymous", [(ApprovalStatus.APPROVED, 200), (ApprovalStatus.AWAITING, 404)])
def test_public_document_is_public_once_its_target_is_approved(world, client, facility, status, anonymous):
    doc = attach(world.users["dept_officer"], facility, is_public=True)
    type(facility).objects.filter(pk=facility.pk).update(approval_status=status)
    url = reverse("layers:documents:download", args=[doc.pk])
    assert client.get(url).status_code == anonymous
    assert _login(client, world, "enterprise_b_user").get(url).status_code == anonymous
    client.logout()
    assert _login(client, world, "enterprise_user").get(url).status_code == 200


def test_download_headers(world, client, facility, owner):
    """Attachment with the Vietnamese name (RFC 5987), stored type, nosniff, sandbox CSP."""
    doc = attach(owner, facility, "Ảnh hiện trường.png", png_bytes())
    r = _login(client, world, "enterprise_user").get(reverse("layers:documents:download", args=[doc.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"] == content_disposition("Ảnh hiện trường.png")
    assert r["Content-Disposition"].startswith('attachment; filename="Anh hien truong.png"; filename*=UTF-8\'\'')
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"].split(";")[0] == "sandbox"
    assert "no-store" in r["Cache-Control"]
    assert b"".join(r.streaming_content) == png_bytes()


def test_download_of_a_missing_document_is_404(world, client):
    assert _login(client, world, "dept_admin").get("/documents/999999999/download/").status_code == 404


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 302), ("enterprise_b_user", 404), ("commune_b_officer", 404), ("connection", 404),
    ("ez_officer", 404), ("commune_officer", 302), ("enterprise_user", 302), ("dept_officer", 302),
])
def test_delete_view_matrix(world, client, facility, owner, role, expected, django_capture_on_commit_callbacks):
    doc = attach(owner, facility)
    url = reverse("layers:documents:delete", args=[doc.pk])
    _login(client, world, role)
    assert client.get(url).status_code == 405  # POST only
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url)
    assert r.status_code == expected
    deleted = not Document.objects.filter(pk=doc.pk).exists()
    if role == "anonymous":
        assert r["Location"].startswith(reverse("login")) and not deleted
    elif expected == 302:
        assert r["Location"] == reverse("layers:documents:upload", args=["facility", facility.pk])
        assert deleted and not default_storage.exists(doc.file.name)
    else:
        assert not deleted and default_storage.exists(doc.file.name)


# --- translations -------------------------------------------------------------------------------


def _load_vi(path: Path) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VI


def _msgids() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "layers" / "documents").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"_", "gettext", "gettext_lazy"} and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    for path in (ROOT / "templates" / "layers" / "documents").glob("*.html"):
        text = path.read_text()
        found.update(re.findall(r'{% trans "([^"]+)" %}', text))
        for body in re.findall(r"{% blocktrans[^%]*%}(.*?){% endblocktrans %}", text, re.S):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    return found


def test_every_message_has_a_vietnamese_translation():
    """Each msgid of the documents package and templates is translated, placeholders kept."""
    vi = _load_vi(ROOT / "locale" / "tools" / "vi_translations.py")
    vi.update(_load_vi(ROOT / "locale" / "tools" / "vi_documents.py"))
    msgids = _msgids()
    assert len(msgids) > 30  # the scan itself works
    missing = sorted(m for m in msgids if m not in vi)
    assert not missing, missing
    for msgid in msgids:
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", vi[msgid])), msgid
