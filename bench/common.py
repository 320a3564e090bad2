"""Shared set-up of the benchmarks: Django on the bench database, timing helpers."""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(*, bench_database: bool = True) -> None:
    """Django on the bench database, or (bench_database=False) on DATABASE_URL as given."""
    from bench.seed import database_url

    if bench_database:
        os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_TLS", "false")
    os.environ.setdefault("REPORT_ESEAL_PASSWORD", "HaiPhong@2025")  # the demo e-seal (fixtures/demo/pki)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def timed(fn, *, repeat: int = 15, warmup: int = 3) -> float:
    """Median wall time of `fn()` in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def report(title: str, rows: list[tuple[str, float, float, float]]) -> None:
    """rows: (workload, app ms, baseline ms, target ratio)."""
    print(f"\n== {title}")
    print(f"{'workload':48} {'app ms':>9} {'base ms':>9} {'ratio':>7} {'target':>7}")
    for name, app, base, target in rows:
        ratio = app / base if base else float("inf")
        flag = "ok" if ratio <= target else "OVER"
        print(f"{name:48} {app:9.1f} {base:9.1f} {ratio:7.2f} {target:7.2f} {flag}")
