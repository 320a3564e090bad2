"""Signing a rendered report in the portal, behind a small pluggable interface.

A signer takes the PDF the portal rendered and returns it signed: a PAdES signature
(subfilter ETSI.CAdES.detached) appended as an *incremental update*, so the rendered bytes
stay an exact prefix of the signed file (verify.py relies on this to prove that the
enterprise signed what the portal rendered). With settings.REPORT_TSA_URL set, the
signature carries an RFC 3161 timestamp (PAdES B-T); otherwise it is B-B.

Implementations:

- `Pkcs12Signer`: the demo path. The user uploads a PKCS#12 file and its password for one
  signature; the key is decrypted in memory, used once and never stored.
- A remote signing service (the cloud signing Vietnamese CAs sell: VNPT SmartCA, Viettel
  MySign, …) plugs in the same way: write a class with the same ``sign()`` that
    1. builds a pyHanko ``PdfSigner`` whose signer is a
       ``pyhanko.sign.signers.pdf_cms.ExternalSigner(signing_cert, cert_registry,
       signature_value=<placeholder length>)`` (the certificate chain comes from the
       service's "get certificate" call),
    2. calls ``PdfSigner.digest_doc_for_signing(IncrementalPdfFileWriter(...))`` to get the
       document digest and the prepared ``PdfTBSDocument`` (pyHanko's "interrupted signing"),
    3. sends the signed-attributes digest to the service, which asks the user to approve on
       the phone, and receives the raw signature value,
    4. finishes with ``PdfTBSDocument.finish_signing`` / ``PdfPostSignatureDocument``.
  Services that speak the Cloud Signature Consortium API can use pyHanko's ``CSCSigner``
  (pyhanko.sign.signers.csc_signer) instead of steps 1–3. The network client belongs in its
  own module with its own configuration; nothing here talks to the network except the TSA.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Protocol

from asn1crypto import pkcs12 as asn1_pkcs12
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper


class SigningError(Exception):
    """Signing failed; `user_message` says why in words an enterprise user understands."""

    def __init__(self, user_message: str):
        super().__init__(user_message)
        self.user_message = user_message


class ReportSigner(Protocol):
    """Signs a rendered report PDF and returns the signed bytes (rendered bytes + an incremental update).

    :param pdf: the PDF as the portal rendered it.
    :param field_name: the signature field to create.
    :param reason: /Reason of the signature (shown by PDF readers).
    :param location: /Location of the signature.
    :returns: the signed PDF.
    :raises SigningError: with a message for the user.
    """

    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes:
        """`pdf` with a signature appended as an incremental update."""
        ...


def settings_timestamper() -> TimeStamper | None:
    """The RFC 3161 client for settings.REPORT_TSA_URL (PAdES B-T), or None (B-B)."""
    url = getattr(settings, "REPORT_TSA_URL", "")
    return HTTPTimeStamper(url, timeout=10) if url else None


def pades_sign(pdf: bytes, *, signer: Signer, field_name: str, reason: str, location: str,
               timestamper: TimeStamper | None = None) -> bytes:
    """Append a PAdES signature by `signer` to `pdf` as an incremental update; no checks on the certificate."""
    meta = signers.PdfSignatureMetadata(field_name=field_name, reason=reason, location=location,
                                        subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = signers.sign_pdf(writer, meta, signer=signer, timestamper=timestamper, output=io.BytesIO())
    except (PdfError, PyHankoSigningError) as exc:
        raise SigningError(_("The PDF could not be signed: %(error)s") % {"error": exc}) from exc
    return out.getvalue()


class Pkcs12Signer:
    """Signs with the key in a PKCS#12 file (.p12/.pfx) the user uploaded for this one signature.

    The key lives only in this object's memory; nothing is written anywhere.
    """

    def __init__(self, p12: bytes, passphrase: bytes, *, timestamper: TimeStamper | None = None,
                 use_settings_tsa: bool = True):
        self._signer = load_pkcs12_signer(p12, passphrase)
        self._timestamper = timestamper if timestamper is not None else (
            settings_timestamper() if use_settings_tsa else None)

    @property
    def certificate(self):
        """The signer's certificate (asn1crypto)."""
        return self._signer.signing_cert

    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes:
        """Sign `pdf` (PAdES B-B, or B-T with a timestamper); refuses a certificate outside its validity."""
        cert = self._signer.signing_cert
        now = timezone.now()
        not_before = cert["tbs_certificate"]["validity"]["not_before"].native
        not_after = cert["tbs_certificate"]["validity"]["not_after"].native
        if now > not_after:
            raise SigningError(_("Your certificate expired on %(date)s. Renew it with your certification "
                                 "authority, then sign again.") % {"date": _local(not_after)})
        if now < not_before:
            raise SigningError(_("Your certificate is not valid before %(date)s.") % {"date": _local(not_before)})
        return pades_sign(pdf, signer=self._signer, field_name=field_name, reason=reason, location=location,
                          timestamper=self._timestamper)


def load_pkcs12_signer(p12: bytes, passphrase: bytes) -> signers.SimpleSigner:
    """A pyHanko signer from PKCS#12 bytes; SigningError for a bad file or a wrong password."""
    try:
        # Parsing the outer structure first tells a damaged file from a wrong password:
        # cryptography reports both as the same ValueError.
        asn1_pkcs12.Pfx.load(p12).native  # noqa: B018 (parse everything now)
    except Exception as exc:  # asn1crypto raises ValueError/TypeError/IndexError on garbage
        raise SigningError(_("This file is not a PKCS#12 certificate file (.p12 or .pfx).")) from exc
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=passphrase or None)
    except ValueError as exc:
        raise SigningError(_("The password of the certificate file is wrong.")) from exc
    if signer.signing_key is None or signer.signing_cert is None:
        raise SigningError(_("The certificate file holds no private key and certificate pair."))
    return signer


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
