"""Production static files build (hashed names, compressed) and hold no CDN reference."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_collectstatic_with_manifest_storage_succeeds(tmp_path):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "example.vn",
           "DATABASE_URL": os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:54329/geoportal"),
           "STATIC_ROOT": str(tmp_path / "static"), "DJANGO_SETTINGS_MODULE": "geoportal.settings"}
    r = subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_vendored_assets_reference_no_remote_host():
    for path in (ROOT / "static").rglob("*"):
        if path.suffix in (".js", ".css") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="ignore")
            for marker in ("cdn.jsdelivr", "unpkg.com", "cdnjs.", "googleapis.com", "sourceMappingURL="):
                assert marker not in text, f"{path.relative_to(ROOT)} references {marker}"
