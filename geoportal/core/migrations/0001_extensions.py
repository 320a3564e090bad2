from django.contrib.postgres.operations import CreateExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostGIS for geometry; unaccent and pg_trgm for search with Vietnamese
    diacritics folded ("dinh vu" finds "Đình Vũ")."""

    dependencies = []
    operations = [
        CreateExtension("postgis"),
        UnaccentExtension(),
        TrigramExtension(),
    ]
