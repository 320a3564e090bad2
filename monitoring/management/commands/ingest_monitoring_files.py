"""Ingest the text files station dataloggers drop in a folder.

    manage.py ingest_monitoring_files DIR [--once | --watch [--interval 5]] [--min-age 2]

Each ``*.txt`` directly in DIR (not in sub-folders), oldest first, is one transmission:

- The station comes from the file name ``<province>_<facility>_<station>_<stamp>.txt``
  (the pattern is settings.MONITORING_DATALOGGER_FORMAT["filename_pattern"]): the station
  whose ``datalogger_code`` is ``<province>_<facility>_<station>`` (case-insensitive), or,
  for a station with no datalogger code recorded, the one whose ``code`` is ``<station>``.
  A station that has a datalogger code is never matched by its code alone, so a file
  cannot land in another facility's station that happens to share the short code.
- The file is parsed and written through the push path (monitoring.services.push), all
  or nothing, then moved to ``DIR/processed/`` or to ``DIR/rejected/`` beside a
  ``<name>.reason.json`` (the errors and counts). Moved files are never read again, so
  runs are idempotent; a file sent twice is stored once (its readings are duplicates).
- A file modified less than ``--min-age`` seconds ago may still be being written: it is
  left for the next run. Symbolic links and other non-regular files are ignored.
- A bad file never stops the others: any error is recorded in its reason file. Only a
  lost database connection leaves the file in place and ends the pass (retried later).
- ``--watch`` repeats every ``--interval`` seconds until SIGTERM or SIGINT, which end the
  loop after the file in hand. One ingester per folder: a lock file (``DIR/.ingest.lock``)
  keeps a second one out.
"""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import signal
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.ingest.config import DataloggerFormat, format_from_settings
from monitoring.ingest.parsing import FileIdentity, parse_datalogger_stream, parse_filename
from monitoring.models import Station
from monitoring.services.push import ParameterLookup, ingest_batch, measured_parameter_ids, resolver

logger = logging.getLogger(__name__)

PROCESSED, REJECTED = "processed", "rejected"
LOCK_NAME = ".ingest.lock"
REASON_SUFFIX = ".reason.json"


@dataclass
class RunSummary:
    """The counts of one pass over the folder."""

    processed: int = 0
    rejected: int = 0
    young: int = 0  # modified too recently: maybe still being written
    deferred: int = 0  # left in place: the database was unavailable
    accepted: int = 0
    duplicates: int = 0
    files: list[tuple[str, str]] = field(default_factory=list)  # (name, outcome)

    @property
    def seen(self) -> int:
        return self.processed + self.rejected + self.young + self.deferred

    def line(self, directory: Path) -> str:
        return (f"ingest_monitoring_files {directory}: {self.seen} file(s): {self.processed} processed "
                f"({self.accepted} readings accepted, {self.duplicates} duplicates), {self.rejected} rejected, "
                f"{self.young} still being written, {self.deferred} deferred")


class StationIndex:
    """The stations by datalogger identity, and the parameter look-up of each; built once per pass."""

    def __init__(self) -> None:
        self.by_identity: dict[str, Station] = {}
        self.by_code: dict[str, Station] = {}
        for station in Station.objects.only("pk", "code", "kind", "datalogger_code"):
            if station.datalogger_code:
                self.by_identity[_fold(station.datalogger_code)] = station
            else:
                self.by_code.setdefault(_fold(station.code), station)
        self._catalogue = resolver()
        self._lookups: dict[int, ParameterLookup] = {}

    def find(self, identity: FileIdentity) -> Station | None:
        """The station a file name names, or None."""
        full = _fold(f"{identity.province}_{identity.facility}_{identity.station}")
        return self.by_identity.get(full) or self.by_code.get(_fold(identity.station))

    def lookup(self, station: Station) -> ParameterLookup:
        if station.pk not in self._lookups:
            self._lookups[station.pk] = self._catalogue.for_station(station, measured_parameter_ids(station))
        return self._lookups[station.pk]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip()).casefold()


def _free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem.N.suffix` when a file of that name is already there (a re-sent file)."""
    target = folder / name
    stem, suffix = os.path.splitext(name)
    n = 1
    while target.exists() or (folder / (target.name + REASON_SUFFIX)).exists():
        target = folder / f"{stem}.{n}{suffix}"
        n += 1
    return target


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _reject(path: Path, directory: Path, reason: dict) -> Path:
    """Move `path` to DIR/rejected/ with its reason file written first (a crash re-reads the file, never loses it)."""
    target = _free_name(directory / REJECTED, path.name)
    _write_json(target.with_name(target.name + REASON_SUFFIX), reason)
    os.replace(path, target)
    return target


def pending_files(directory: Path) -> list[Path]:
    """The regular *.txt files directly in `directory`, oldest first."""
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if (entry.name.startswith(".") or not entry.name.lower().endswith(".txt")
                    or not entry.is_file(follow_symlinks=False)):
                continue
            found.append((entry.stat(follow_symlinks=False).st_mtime, entry.name))
    return [directory / name for _mtime, name in sorted(found)]


def ingest_file(path: Path, *, directory: Path, fmt: DataloggerFormat, stations: StationIndex) -> tuple[str, dict]:
    """Ingest one file and move it; returns (outcome, details). Raises only on a lost database connection."""
    now = timezone.now()
    reason: dict = {"file": path.name, "checked_at": now.isoformat(), "station": None,
                    "accepted": 0, "duplicates": 0, "rejected_rows": 0, "errors": []}
    identity = parse_filename(path.name, fmt=fmt)
    if identity is None:
        reason["errors"] = [{"code": "filename", "value": path.name[:100], "message": _(
            "The file name “%(name)s” does not follow the pattern "
            "<province>_<facility>_<station>_<yyyyMMddHHmmss>.txt.") % {"name": path.name[:100]}}]
        _reject(path, directory, reason)
        return REJECTED, reason
    station = stations.find(identity)
    if station is None:
        ident = f"{identity.province}_{identity.facility}_{identity.station}"
        reason["errors"] = [{"code": "unknown_station", "value": ident[:100], "message": _(
            "No station has the datalogger identity “%(identity)s”.") % {"identity": ident[:100]}}]
        _reject(path, directory, reason)
        return REJECTED, reason
    reason["station"] = station.code
    lookup = stations.lookup(station)
    with open(path, "rb") as stream:
        parsed = parse_datalogger_stream(stream, fmt=fmt, now=now, resolve_parameter=lookup, filename=path.name)
    result = ingest_batch(station=station, parse_result=parsed, now=now, lookup=lookup, position="line")
    reason.update(accepted=result.accepted, duplicates=result.duplicates, errors=result.rejected,
                  rejected_rows=len({e.get("line") for e in result.rejected if e.get("line") is not None}),
                  rows=len(parsed.rows) + parsed.duplicates_in_batch)
    if not result.ok:
        _reject(path, directory, reason)
        return REJECTED, reason
    os.replace(path, _free_name(directory / PROCESSED, path.name))
    return PROCESSED, reason


def ingest_directory(directory: Path, *, fmt: DataloggerFormat, min_age: float = 2.0,
                     stop: Callable[[], bool] = lambda: False) -> RunSummary:
    """One pass over `directory`: every ready file ingested and moved (see the module docstring)."""
    summary = RunSummary()
    (directory / PROCESSED).mkdir(exist_ok=True)
    (directory / REJECTED).mkdir(exist_ok=True)
    files = pending_files(directory)
    if not files:
        return summary
    stations = StationIndex()
    for path in files:
        if stop():
            break
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:  # taken away meanwhile
            continue
        if age < min_age:
            summary.young += 1
            summary.files.append((path.name, "young"))
            continue
        try:
            outcome, details = ingest_file(path, directory=directory, fmt=fmt, stations=stations)
        except (OperationalError, InterfaceError):
            # The database is unreachable: keep the file for the next pass, stop this one.
            logger.exception("ingest_monitoring_files: database unavailable; %s left in place", path.name)
            summary.deferred += 1
            summary.files.append((path.name, "deferred"))
            break
        except Exception as exc:  # a bad file never stops the others (RELIABILITY: one file, one outcome)
            logger.exception("ingest_monitoring_files: %s failed", path.name)
            outcome, details = REJECTED, {"file": path.name, "errors": [
                {"code": "internal_error", "message": f"{type(exc).__name__}: {str(exc)[:500]}"}]}
            try:
                if path.exists():
                    _reject(path, directory, details)
            except OSError:
                logger.exception("ingest_monitoring_files: %s could not be moved", path.name)
                continue
        if outcome == PROCESSED:
            summary.processed += 1
            summary.accepted += details["accepted"]
            summary.duplicates += details["duplicates"]
        else:
            summary.rejected += 1
            logger.warning("ingest_monitoring_files: rejected %s: %s", path.name,
                           "; ".join(e.get("message", "") for e in details.get("errors", [])[:3]))
        summary.files.append((path.name, outcome))
    return summary


class FolderLock:
    """An exclusive, non-blocking lock on DIR/.ingest.lock for the life of the command."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self.handle = None

    def __enter__(self) -> FolderLock:
        self.handle = open(self.path, "a")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.handle.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise CommandError(f"another ingester is working on {self.path.parent}") from None
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


class Command(BaseCommand):
    help = "Ingest datalogger text files from a folder (once, or watching it); see the module docstring."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the folder the dataloggers' files arrive in")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--watch", action="store_true", help="keep watching the folder until SIGTERM")
        mode.add_argument("--once", action="store_true", help="one pass, then exit (the default)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes with --watch")
        parser.add_argument("--min-age", type=float, default=2.0,
                            help="skip files modified less than this many seconds ago (still being written)")

    def handle(self, *args, directory: str, watch: bool = False, once: bool = False, interval: float = 5.0,
               min_age: float = 2.0, **options):
        folder = Path(directory).resolve()
        if not folder.is_dir():
            raise CommandError(f"{directory} is not a directory")
        if interval <= 0 or min_age < 0:
            raise CommandError("--interval must be positive and --min-age not negative")
        fmt = format_from_settings(getattr(settings, "MONITORING_DATALOGGER_FORMAT", {}))
        self.stopping = threading.Event()
        with FolderLock(folder):
            if not watch:
                self.stdout.write(ingest_directory(folder, fmt=fmt, min_age=min_age).line(folder))
                return
            previous = {}
            if threading.current_thread() is threading.main_thread():
                for signum in (signal.SIGTERM, signal.SIGINT):
                    previous[signum] = signal.signal(signum, self.shutdown)
            try:
                self._watch(folder, fmt=fmt, min_age=min_age, interval=interval)
            finally:
                for signum, handler in previous.items():
                    signal.signal(signum, handler)
            connection.close()
            self.stdout.write("ingest_monitoring_files: stopped")

    def _watch(self, folder: Path, *, fmt: DataloggerFormat, min_age: float, interval: float) -> None:
        self.stdout.write(f"ingest_monitoring_files: watching {folder} every {interval:g} s")
        while not self.stopping.is_set():
            close_old_connections()  # a long-lived process: drop connections the server closed
            try:
                summary = ingest_directory(folder, fmt=fmt, min_age=min_age, stop=self.stopping.is_set)
            except (OperationalError, InterfaceError):
                logger.exception("ingest_monitoring_files: pass failed; retrying in %s s", interval)
            else:
                if summary.seen:
                    self.stdout.write(summary.line(folder))
            self.stopping.wait(interval)

    def shutdown(self, signum, frame) -> None:
        """SIGTERM/SIGINT: finish the file in hand, then leave the loop."""
        logger.info("ingest_monitoring_files: received %s, stopping", signal.Signals(signum).name)
        self.stopping.set()
