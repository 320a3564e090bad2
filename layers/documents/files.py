"""Checking uploaded files before anything is stored: pure functions over bytes and names.

Accepted types (ASVS 5.1.1; RELIABILITY.md R-18, R-21, R-22):

    extension      content checked                                  limit
    .pdf           starts with %PDF-                                UPLOAD_MAX_BYTES
    .docx          ZIP with an OOXML Word main part, no macros      UPLOAD_MAX_BYTES
    .xlsx          ZIP with an OOXML Excel main part, no macros     UPLOAD_MAX_BYTES
    .png           PNG signature and IHDR chunk                     20 MiB (and UPLOAD_MAX_BYTES)
    .jpg .jpeg     JPEG SOI marker FF D8 FF                         20 MiB (and UPLOAD_MAX_BYTES)

Refused on purpose:
- legacy OLE Office files (.doc, .xls): an OLE compound file can carry VBA macros that
  cannot be ruled out without a full compound-file parser, and password-protected
  DOCX/XLSX files are OLE containers too. Users save as DOCX, XLSX or PDF instead;
- macro-enabled OOXML (.docm, .xlsm, .xlsb, ...), and any OOXML package whose content
  types or parts declare VBA projects, Excel 4 macro sheets or ActiveX controls;
- OOXML packages with external relationships other than hyperlinks (remote templates,
  linked OLE objects or images: the "Follina"/template-injection family);
- HTML, SVG and XML (stored XSS), executables, GeoTIFF and everything else.

ZIP-based files are checked against the declared entry count, unpacked size and
compression ratio from the central directory *before* any member is decompressed;
afterwards only the small package parts ([Content_Types].xml, *.rels) are read, each
through a bounded read, so a declared size that lies cannot make us unpack more.
"""
from __future__ import annotations

import io
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MiB = 1024 * 1024
IMAGE_MAX_BYTES = 20 * MiB
ARCHIVE_MAX_ENTRIES = 1000
ARCHIVE_MAX_UNPACKED_BYTES = 250 * MiB
ARCHIVE_MAX_RATIO = 100
# Small XML parts compress unevenly; a bomb needs a large unpacked size, so the
# per-part ratio is checked from this size up (the total ratio is checked always).
ARCHIVE_RATIO_FROM_BYTES = 1 * MiB
PACKAGE_PART_MAX_BYTES = 1 * MiB  # one [Content_Types].xml or .rels part
PACKAGE_PARTS_MAX_BYTES = 16 * MiB  # all of them together
NAME_MAX_CHARS = 200
SNIFF_BYTES = 1024


@dataclass(frozen=True)
class FileType:
    """One accepted file type: its label, the media type we serve it with, the content
    signature it must carry and its own size limit (None: only UPLOAD_MAX_BYTES)."""

    label: str
    media_type: str
    signature: str
    max_bytes: int | None = None


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_JPEG = FileType("JPEG", "image/jpeg", "jpeg", IMAGE_MAX_BYTES)
ACCEPTED_TYPES: dict[str, FileType] = {
    ".pdf": FileType("PDF", "application/pdf", "pdf"),
    ".docx": FileType("DOCX", DOCX_MEDIA_TYPE, "docx"),
    ".xlsx": FileType("XLSX", XLSX_MEDIA_TYPE, "xlsx"),
    ".png": FileType("PNG", "image/png", "png", IMAGE_MAX_BYTES),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
}
ACCEPTED_LABEL = "PDF, DOCX, XLSX, PNG, JPEG"
LEGACY_OFFICE_EXTENSIONS = {".doc", ".dot", ".xls", ".xlt", ".ppt", ".pps", ".pot"}
MACRO_EXTENSIONS = {".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".xlam", ".pptm", ".potm", ".ppsm"}
MARKUP_EXTENSIONS = {".svg", ".svgz", ".html", ".htm", ".xhtml", ".shtml", ".xml", ".xsl", ".mht", ".mhtml", ".js"}

# OOXML main parts: (folder the part lives in, content type it must be declared with).
OOXML_MAIN = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "Word"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "Excel"),
}
# Substrings of content types and part names that mean active content.
_ACTIVE_MARKERS = ("macroenabled", "vbaproject", "vnd.ms-office.vba", "macrosheet", "activex")
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINK_REL = "/hyperlink"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

# What a file "looks like" when its content does not match its extension.
SNIFFED_LABELS = {
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "zip": gettext_lazy("a ZIP archive"),
    "ole": gettext_lazy("an old-format Office file"),
    "markup": gettext_lazy("an HTML, SVG or XML document"),
    "program": gettext_lazy("a program"),
    "unknown": gettext_lazy("an unknown format"),
}


# --- names -----------------------------------------------------------------------------

def sanitise_filename(name: str | None) -> str:
    """The client's file name made safe to keep as metadata and to send back in a header:
    the last path component only, NFC, no control or format characters (NUL, CR/LF,
    right-to-left overrides), no characters Windows forbids, no leading dots, at most
    NAME_MAX_CHARS characters with the extension kept. May return ""."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(
        ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*'
    )
    text = " ".join(text.split()).strip(" .")
    if len(text) > NAME_MAX_CHARS:
        stem, ext = os.path.splitext(text)
        if 1 < len(ext) <= 16:
            text = stem[: NAME_MAX_CHARS - len(ext)].rstrip(" .") + ext
        else:
            text = text[:NAME_MAX_CHARS].rstrip(" .")
    return text


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def ascii_fallback(name: str) -> str:
    """An ASCII stand-in for clients that ignore RFC 5987 `filename*`:
    "Giấy phép môi trường.pdf" -> "Giay phep moi truong.pdf"."""
    folded = name.replace("đ", "d").replace("Đ", "D")
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    safe = "".join(ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in folded)
    stem, ext = os.path.splitext(safe)
    return safe if stem.strip(" ._") else f"document{ext}"


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII `filename` and the exact UTF-8 `filename*` (RFC 6266, RFC 5987)."""
    return f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- types and limits --------------------------------------------------------------------

def file_type_for(name: str) -> FileType:
    """The accepted type for a (sanitised) file name, or a ValidationError naming the problem."""
    ext = extension_of(name)
    if not ext:
        raise ValidationError(
            _("The file name has no extension. Accepted types: %(types)s.") % {"types": ACCEPTED_LABEL},
            code="no_extension")
    if ext in ACCEPTED_TYPES:
        return ACCEPTED_TYPES[ext]
    if ext in LEGACY_OFFICE_EXTENSIONS:
        raise ValidationError(
            _("Old-format Office files (%(ext)s) are not accepted: save the file as DOCX, XLSX or PDF "
              "and upload it again.") % {"ext": ext}, code="legacy_office")
    if ext in MACRO_EXTENSIONS:
        raise ValidationError(
            _("Macro-enabled files (%(ext)s) are not accepted: save the file as DOCX or XLSX without "
              "macros and upload it again.") % {"ext": ext}, code="macro")
    if ext in MARKUP_EXTENSIONS:
        raise ValidationError(
            _("HTML, SVG and XML files (%(ext)s) are not accepted, because they can run scripts in a "
              "browser.") % {"ext": ext}, code="active_content")
    raise ValidationError(
        _("Files of type %(ext)s are not accepted. Accepted types: %(types)s.") % {
            "ext": ext, "types": ACCEPTED_LABEL}, code="type_not_allowed")


def size_limit(file_type: FileType) -> int:
    """Bytes allowed for this type: UPLOAD_MAX_BYTES, lowered by the type's own cap."""
    limit = settings.UPLOAD_MAX_BYTES
    return min(limit, file_type.max_bytes) if file_type.max_bytes else limit


def too_large_error(*, size: int | None, limit: int, label: str | None = None) -> ValidationError:
    if size is None or label is None:
        return ValidationError(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large")
    return ValidationError(
        _("The file is too large (%(size)s). The limit for %(type)s files is %(limit)s.") % {
            "size": filesizeformat(size), "type": label, "limit": filesizeformat(limit)},
        code="too_large")


# --- content ------------------------------------------------------------------------------

def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is (a key of SNIFFED_LABELS)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE_SIGNATURE):
        return "ole"
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        return "program"
    text = head
    for bom in _BOMS:
        if text.startswith(bom):
            text = text[len(bom):]
            break
    text = text.replace(b"\x00", b"").lstrip()  # UTF-16 markup has NULs between the letters
    if text.startswith(b"<"):
        return "markup"
    return "unknown"


def check_content(*, name: str, file_type: FileType, head: bytes, fileobj: BinaryIO) -> None:
    """The content must be what the extension says; ZIP-based types are inspected further."""
    found = sniff(head)
    expected = "zip" if file_type.signature in OOXML_MAIN else file_type.signature
    if found == expected:
        if found == "zip":
            check_ooxml(fileobj, kind=file_type.signature, label=file_type.label)
        return
    ext = extension_of(name)
    if found == "markup":
        raise ValidationError(
            _("HTML, SVG and XML files (%(ext)s) are not accepted, because they can run scripts in a "
              "browser.") % {"ext": ext}, code="active_content")
    if found == "ole" and expected == "zip":
        raise ValidationError(
            _("The file is an old-format Office file or is protected by a password. Save it as DOCX, "
              "XLSX or PDF without a password and upload it again."), code="legacy_office")
    raise ValidationError(
        _("The content of the file does not match its extension %(ext)s: it looks like %(found)s.") % {
            "ext": ext, "found": SNIFFED_LABELS[found]}, code="content_mismatch")


def _damaged(label: str) -> ValidationError:
    return ValidationError(
        _("The file is not a valid %(type)s document (its archive is damaged).") % {"type": label},
        code="damaged")


def zip_declared_entries(fileobj: BinaryIO) -> int:
    """The entry count in the end-of-central-directory record (ZIP64 aware), read
    before zipfile builds one object per entry. Raises BadZipFile when absent."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    tail_len = min(size, 22 + 65535)
    fileobj.seek(size - tail_len)
    tail = fileobj.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory")
    entries = struct.unpack("<H", tail[at + 10: at + 12])[0]
    if entries != 0xFFFF:
        return entries
    locator = tail[at - 20: at] if at >= 20 else b""
    if not locator.startswith(b"PK\x06\x07"):
        raise zipfile.BadZipFile("no ZIP64 locator")
    offset = struct.unpack("<Q", locator[8:16])[0]
    fileobj.seek(offset)
    record = fileobj.read(56)
    if len(record) < 56 or not record.startswith(b"PK\x06\x06"):
        raise zipfile.BadZipFile("no ZIP64 end record")
    return struct.unpack("<Q", record[32:40])[0]


def check_archive_limits(infos: list[zipfile.ZipInfo], *, label: str) -> None:
    """Refuse from the central directory alone: too many entries, too much unpacked,
    a bomb-like ratio, duplicate or encrypted entries. Nothing is decompressed here."""
    if len(infos) > ARCHIVE_MAX_ENTRIES:
        raise _entries_error()
    seen: set[str] = set()
    for info in infos:
        key = unicodedata.normalize("NFC", info.filename).casefold()
        if key in seen:
            raise _damaged(label)  # two parts with one name: readers disagree on which wins
        seen.add(key)
        if info.flag_bits & 0x1:
            raise ValidationError(_("The file holds encrypted parts, which cannot be checked."), code="encrypted")
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unpacked > ARCHIVE_MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The file was refused without unpacking: it would unpack to more than %(size)s.") % {
                "size": filesizeformat(ARCHIVE_MAX_UNPACKED_BYTES)}, code="archive_too_large")
    bomb = any(
        info.file_size >= ARCHIVE_RATIO_FROM_BYTES and info.file_size > ARCHIVE_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    ) or (unpacked >= ARCHIVE_RATIO_FROM_BYTES and unpacked > ARCHIVE_MAX_RATIO * max(packed, 1))
    if bomb:
        raise ValidationError(
            _("The file was refused without unpacking: it is compressed more than %(ratio)s times "
              "(a possible zip bomb).") % {"ratio": ARCHIVE_MAX_RATIO}, code="archive_ratio")


def _entries_error() -> ValidationError:
    return ValidationError(
        _("The file was refused without unpacking: it holds more than %(count)s parts.") % {
            "count": ARCHIVE_MAX_ENTRIES}, code="archive_entries")


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, label: str) -> ElementTree.Element:
    """One small package part, read at most PACKAGE_PART_MAX_BYTES + 1 bytes, parsed
    without DTDs (OOXML has none, so any DOCTYPE/ENTITY is an attack: XXE, billion laughs)."""
    with zf.open(info) as handle:
        data = handle.read(PACKAGE_PART_MAX_BYTES + 1)
    if len(data) > PACKAGE_PART_MAX_BYTES:
        raise _damaged(label)
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise _damaged(label)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise _damaged(label) from None


def check_ooxml(fileobj: BinaryIO, *, kind: str, label: str) -> None:
    """A DOCX/XLSX must be a sane ZIP holding the Word/Excel main part, with no macros,
    ActiveX or external relationships except hyperlinks."""
    folder, main_type, what = OOXML_MAIN[kind]
    ext = f".{kind}"
    try:
        if zip_declared_entries(fileobj) > ARCHIVE_MAX_ENTRIES:
            raise _entries_error()
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as zf:
            infos = zf.infolist()
            check_archive_limits(infos, label=label)  # before any member is decompressed
            by_name = {info.filename.lower(): info for info in infos}
            for name in by_name:
                if any(marker in name for marker in _ACTIVE_MARKERS):
                    raise _macro_error()
            types_info = by_name.get("[content_types].xml")
            if types_info is None:
                raise _not_ooxml(ext, what)
            root = _read_part(zf, types_info, label=label)
            defaults = {el.get("Extension", "").lower(): el.get("ContentType", "")
                        for el in root.iter(f"{_CT_NS}Default")}
            overrides = {el.get("PartName", "").lower(): el.get("ContentType", "")
                         for el in root.iter(f"{_CT_NS}Override")}
            declared = [ct.lower() for ct in (*defaults.values(), *overrides.values())]
            if any(marker in ct for ct in declared for marker in _ACTIVE_MARKERS):
                raise _macro_error()
            has_main = any(
                name.startswith(folder)
                and (overrides.get(f"/{name}") or defaults.get(extension_of(name).lstrip("."), "")) == main_type
                for name in by_name
            )
            if not has_main:
                raise _not_ooxml(ext, what)
            budget = PACKAGE_PARTS_MAX_BYTES
            for name, info in by_name.items():
                if not name.endswith(".rels"):
                    continue
                budget -= info.file_size
                if budget < 0:
                    raise _damaged(label)
                for rel in _read_part(zf, info, label=label).iter(f"{_REL_NS}Relationship"):
                    external = (rel.get("TargetMode") or "").lower() == "external"
                    if external and not (rel.get("Type") or "").endswith(_HYPERLINK_REL):
                        raise ValidationError(
                            _("The file loads content from outside (a remote template, a linked object "
                              "or image), which is not accepted."), code="external_content")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError, struct.error, KeyError):
        raise _damaged(label) from None
    finally:
        fileobj.seek(0)


def _macro_error() -> ValidationError:
    return ValidationError(
        _("The file contains macros or ActiveX controls, which are not accepted. Save it without macros "
          "(DOCX or XLSX) and upload it again."), code="macro")


def _not_ooxml(ext: str, what: str) -> ValidationError:
    return ValidationError(
        _("The content of the file does not match its extension %(ext)s: it holds no %(what)s document.") % {
            "ext": ext, "what": what}, code="content_mismatch")
