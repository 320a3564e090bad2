"""Large exports run in the background through django.tasks (database backend and its
worker), report progress, and are downloadable only by their requester."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from layers.models import ExportJob
from tests.layer_factories import FacilityFactory


def test_background_export_runs_in_the_worker(world, client, django_capture_on_commit_callbacks):
    for i in range(30):
        FacilityFactory(name=f"Cơ sở {i}", admin_unit=world.unit_a, owner_organisation=world.enterprise_a)
    client.force_login(world.users["dept_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/exports/jobs/", {"collection": "facilities", "format": "geojson", "q": "co so"})
    assert r.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "queued" and job.rows_total == 30 and job.task_id
    assert client.get(f"/exports/jobs/{job.pk}/?f=json").json()["progress"] == 0
    from django_tasks_db.models import DBTaskResult

    from layers.exports.jobs import run_export_job

    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()  # queued in the database
    run_export_job.call(job.pk)  # what the worker runs (the real worker: test below)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100, job.error
    status = client.get(f"/exports/jobs/{job.pk}/?f=json").json()
    assert status["download"] == f"/exports/jobs/{job.pk}/download/"
    body = b"".join(client.get(status["download"]).streaming_content)
    assert len(json.loads(body)["features"]) == 30
    # another user: 404 on the job and its file
    client.force_login(world.users["enterprise_user"])
    assert client.get(f"/exports/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_background_export_validates_its_input(world, client):
    client.force_login(world.users["dept_officer"])
    assert client.post("/exports/jobs/", {"collection": "facilities", "format": "exe"}).status_code == 400
    assert client.post("/exports/jobs/", {"collection": "nope", "format": "csv"}).status_code == 404
    assert client.post("/exports/jobs/", {"collection": "facilities", "format": "csv", "bbox": "1,2"}).status_code == 400
    assert not ExportJob.objects.exists()


def test_background_exports_need_login(db, client):
    assert client.post("/exports/jobs/", {"collection": "facilities", "format": "csv"}).status_code == 302


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_export(world, client):
    """The real worker process (`manage.py db_worker --batch`) picks the job up."""
    for i in range(12):
        FacilityFactory(name=f"Cơ sở {i}", admin_unit=world.unit_a, owner_organisation=world.enterprise_a)
    client.force_login(world.users["dept_officer"])
    client.post("/exports/jobs/", {"collection": "facilities", "format": "csv"})
    job = ExportJob.objects.get()
    settings_db = connection.settings_dict
    url = f"postgis://{settings_db['USER']}@{settings_db['HOST']}:{settings_db['PORT']}/{settings_db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.django_settings"}
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"], cwd=root, env=env,
                   check=True, timeout=120, capture_output=True)
    job.refresh_from_db()
    assert job.status == "done", job.error
