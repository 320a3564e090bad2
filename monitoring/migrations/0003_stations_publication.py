import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "publications.json"


def seed(apps, schema_editor):
    """The stations layer's default open-data setting (the city network's data is public);
    never overwrites a Department's choice."""
    LayerPublication = apps.get_model("layers", "LayerPublication")
    values = json.loads(SEED.read_text(encoding="utf-8"))["layers"]["stations"]
    LayerPublication.objects.get_or_create(layer="stations", defaults=values)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_readings_partitioned"), ("layers", "0003_default_publications")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
