"""The file-drop ingester: station from the file name, all or nothing per file, files moved to
processed/ or rejected/ (with a reason file), a bad file never stops the others."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from monitoring.management.commands import ingest_monitoring_files as command
from monitoring.models import Reading, StationParameter
from monitoring.tests.factories import ParameterFactory, StationFactory, UnitFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OLD = time.time() - 3600  # an mtime long past the "still being written" window


class Drop:
    """Two stations: one with a datalogger identity, one known only by its code."""

    def __init__(self, folder: Path):
        self.folder = folder
        ug = UnitFactory(code="µg/Nm³")
        self.pm25 = ParameterFactory(code="PM2.5", unit=ug)
        self.pm10 = ParameterFactory(code="PM10", unit=ug)
        self.station = StationFactory(code="TR01", datalogger_code="HP_CTYA_TR01")
        self.bare = StationFactory(code="TR05")  # no datalogger code: matched by its code
        self.shadow = StationFactory(code="TR09", datalogger_code="HP_CTYB_TR09")
        for station in (self.station, self.bare, self.shadow):
            for parameter in (self.pm25, self.pm10):
                StationParameter.objects.create(station=station, parameter=parameter)
        self.t0 = (timezone.now() - dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)

    def lines(self, n=2, start=None, value="12.5"):
        local = (start or self.t0).astimezone(VN)
        return "".join(f"PM2.5\t{value}\tµg/Nm³\t{local + dt.timedelta(minutes=5 * i):%Y%m%d%H%M%S}\t00\n"
                       f"PM10\t{value}\tµg/Nm³\t{local + dt.timedelta(minutes=5 * i):%Y%m%d%H%M%S}\t00\n"
                       for i in range(n))

    def write(self, name: str, text: str | bytes, *, age: float = 3600, mtime: float | None = None) -> Path:
        path = self.folder / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        stamp = mtime if mtime is not None else time.time() - age
        os.utime(path, (stamp, stamp))
        return path


@pytest.fixture
def drop(db, tmp_path):
    return Drop(tmp_path)


def run(folder: Path, *args) -> str:
    out = io.StringIO()
    call_command("ingest_monitoring_files", str(folder), *args, stdout=out)
    return out.getvalue()


def reason(folder: Path, name: str) -> dict:
    return json.loads((folder / "rejected" / (name + ".reason.json")).read_text(encoding="utf-8"))


def test_good_bad_and_unknown_files(drop):
    """Each file has its own outcome; the bad ones do not stop the good one after them."""
    folder = drop.folder
    drop.write("HP_CTYA_TR01_20260105080000.txt", drop.lines(1).replace("12.5", "abc", 1), mtime=OLD)
    drop.write("HP_CTYX_ZZ99_20260105080500.txt", drop.lines(1), mtime=OLD + 1)
    drop.write("readme.txt", "hello", mtime=OLD + 2)
    drop.write("HP_CTYA_TR01_20260105081000.txt", drop.lines(3), mtime=OLD + 3)
    drop.write("HP_CTYA_TR01_20260105081500.txt", b"", mtime=OLD + 4)
    drop.write("HP_CTYA_TR01_20260105082000.csv", drop.lines(1), mtime=OLD + 5)  # not a .txt: left alone
    (folder / "sub").mkdir()
    (folder / "sub" / "HP_CTYA_TR01_20260105082500.txt").write_text(drop.lines(1))  # not recursive

    out = run(folder)

    assert "5 file(s): 1 processed (6 readings accepted, 0 duplicates), 4 rejected" in out
    assert sorted(p.name for p in (folder / "processed").iterdir()) == ["HP_CTYA_TR01_20260105081000.txt"]
    rejected = sorted(p.name for p in (folder / "rejected").iterdir() if not p.name.endswith(".reason.json"))
    assert rejected == ["HP_CTYA_TR01_20260105080000.txt", "HP_CTYA_TR01_20260105081500.txt",
                        "HP_CTYX_ZZ99_20260105080500.txt", "readme.txt"]
    bad = reason(folder, "HP_CTYA_TR01_20260105080000.txt")
    assert bad["station"] == "TR01" and bad["accepted"] == 0 and bad["rejected_rows"] == 1
    assert [(e["line"], e["code"]) for e in bad["errors"]] == [(1, "number")]
    assert reason(folder, "HP_CTYX_ZZ99_20260105080500.txt")["errors"][0]["code"] == "unknown_station"
    assert reason(folder, "readme.txt")["errors"][0]["code"] == "filename"
    assert reason(folder, "HP_CTYA_TR01_20260105081500.txt")["errors"][0]["code"] == "empty"
    assert (folder / "HP_CTYA_TR01_20260105082000.csv").exists()
    assert (folder / "sub" / "HP_CTYA_TR01_20260105082500.txt").exists()
    assert Reading.objects.filter(station=drop.station).count() == 6  # the bad file wrote nothing


def test_reruns_are_idempotent_and_resent_files_are_duplicates(drop):
    folder = drop.folder
    drop.write("HP_CTYA_TR01_20260105080000.txt", drop.lines(2))
    assert "1 processed (4 readings accepted" in run(folder)
    assert "0 file(s)" in run(folder)  # the processed file is not read again
    drop.write("HP_CTYA_TR01_20260105080000.txt", drop.lines(3))  # re-sent with one more interval
    assert "1 processed (2 readings accepted, 4 duplicates)" in run(folder)
    assert sorted(p.name for p in (folder / "processed").iterdir()) == [
        "HP_CTYA_TR01_20260105080000.1.txt", "HP_CTYA_TR01_20260105080000.txt"]
    assert Reading.objects.filter(station=drop.station).count() == 6


def test_files_still_being_written_wait_for_the_next_run(drop):
    path = drop.write("HP_CTYA_TR01_20260105080000.txt", drop.lines(1), age=0)
    assert "1 still being written" in run(drop.folder, "--once")
    assert path.exists() and not Reading.objects.exists()
    os.utime(path, (OLD, OLD))
    assert "1 processed" in run(drop.folder)


def test_station_found_by_code_only_when_it_has_no_datalogger_identity(drop):
    """TR05 has no datalogger code: any <province>_<facility>_TR05 file is its. TR09 has one: only it matches."""
    drop.write("HP_WHATEVER_TR05_20260105080000.txt", drop.lines(1), mtime=OLD)
    drop.write("HP_OTHER_TR09_20260105080000.txt", drop.lines(1), mtime=OLD + 1)
    drop.write("hp_ctyb_tr09_20260105080500.txt", drop.lines(1), mtime=OLD + 2)  # identity is case-insensitive
    assert "2 processed (4 readings accepted, 0 duplicates), 1 rejected" in run(drop.folder)
    assert Reading.objects.filter(station=drop.bare).count() == 2
    assert Reading.objects.filter(station=drop.shadow).count() == 2
    assert reason(drop.folder, "HP_OTHER_TR09_20260105080000.txt")["errors"][0]["code"] == "unknown_station"


def test_a_huge_file_is_refused_without_reading_it_all(drop):
    """100 MB (sparse) is over the 16 MB limit: rejected as too large, the others still processed."""
    huge = drop.folder / "HP_CTYA_TR01_20260105080000.txt"
    with open(huge, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    os.utime(huge, (OLD, OLD))
    drop.write("HP_CTYA_TR01_20260105080500.txt", drop.lines(1), mtime=OLD + 1)
    assert "1 processed (2 readings accepted, 0 duplicates), 1 rejected" in run(drop.folder)
    assert reason(drop.folder, huge.name)["errors"][0]["code"] == "too_large"


def test_an_unexpected_error_rejects_that_file_only(drop, monkeypatch):
    real = command.ingest_batch
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(command, "ingest_batch", flaky)
    drop.write("HP_CTYA_TR01_20260105080000.txt", drop.lines(1), mtime=OLD)
    drop.write("HP_CTYA_TR01_20260105080500.txt", drop.lines(1, start=drop.t0 + dt.timedelta(hours=1)),
               mtime=OLD + 1)
    assert "1 processed (2 readings accepted, 0 duplicates), 1 rejected" in run(drop.folder)
    assert reason(drop.folder, "HP_CTYA_TR01_20260105080000.txt")["errors"][0]["code"] == "internal_error"


def test_missing_directory_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nope")


def test_a_second_ingester_on_the_same_folder_is_refused(drop):
    with command.FolderLock(drop.folder), pytest.raises(CommandError):
        run(drop.folder)


@pytest.mark.django_db(transaction=True)
def test_watch_mode_processes_files_and_stops_on_sigterm(tmp_path):
    """--watch ingests what arrives and leaves its loop cleanly on SIGTERM, restoring the old handler."""
    drop = Drop(tmp_path)
    drop.write("HP_CTYA_TR01_20260105080000.txt", drop.lines(1))
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    started = time.monotonic()
    try:
        out = run(tmp_path, "--watch", "--interval", "0.2")
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert "watching" in out and "1 processed (2 readings accepted" in out and out.rstrip().endswith("stopped")
    try:
        assert signal.getsignal(signal.SIGTERM) is before
        assert Reading.objects.filter(station=drop.station).count() == 2
    finally:
        # The flush after a transactional test skips the unmanaged readings table: empty it here.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM monitoring_reading WHERE station_id = %s", [drop.station.pk])
