import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "publications.json"


def seed(apps, schema_editor):
    """Seed the default open-data settings for layers that have none (never overwrites)."""
    LayerPublication = apps.get_model("layers", "LayerPublication")
    data = json.loads(SEED.read_text(encoding="utf-8"))["layers"]
    for slug, values in data.items():
        LayerPublication.objects.get_or_create(layer=slug, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_layer_publication")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
