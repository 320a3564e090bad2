"""The reference tables load from fixtures/monitoring/ and reload as a no-op."""
from __future__ import annotations

import pytest

from monitoring.models import LimitSet, LimitValue, Parameter, Unit
from monitoring.reference import load_reference

pytestmark = pytest.mark.django_db


def test_reference_tables_load_and_reload():
    first = load_reference()
    assert first["parameters"] == Parameter.objects.count() >= 70
    assert Unit.objects.filter(code="µg/Nm³").exists()
    pm25 = LimitValue.objects.filter(limit_set__code="QCVN 05:2023/BTNMT", parameter__code="PM2.5", averaging="24h")
    # 50 µg/Nm³ until the end of 2025, 45 from 1 January 2026 (QCVN 05:2023 Table 1)
    assert sorted((v.upper, str(v.valid_from), str(v.valid_to)) for v in pm25) == [
        (45.0, "2026-01-01", "None"), (50.0, "2023-09-12", "2025-12-31")]
    ph = LimitValue.objects.get(limit_set__code="QCVN 40:2011/BTNMT", limit_set__column="B", parameter__code="PH_WW")
    assert (ph.lower, ph.upper, ph.multiplied) == (5.5, 9.0, False)  # pH is not multiplied by Kq × Kf
    assert not LimitValue.objects.filter(limit_set__code="QCVN 05:2023/BTNMT", multiplied=True).exists()
    cod = LimitValue.objects.get(limit_set__code="QCVN 40:2011/BTNMT", limit_set__column="B", parameter__code="COD_WW")
    assert (cod.upper, cod.multiplied) == (150.0, True)
    assert LimitSet.objects.get(code="QCVN 40:2025/BTNMT", column="B").certainty == "unconfirmed"
    values = LimitValue.objects.count()
    second = load_reference()
    assert second["limit_sets"] == 0 and LimitValue.objects.count() == values


def test_stations_layer_is_open_data_by_default():
    """The migration seeds the stations layer's publication: the city network's data is public."""
    from layers.models import LayerPublication

    publication = LayerPublication.objects.get(layer="stations")
    assert publication.is_public and "code" in publication.public_fields
