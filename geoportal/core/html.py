"""Helpers for data that pages carry to their scripts."""
from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def json_for_script(payload: Any) -> str:
    """JSON to put inside <script type="application/json"> (the CSP forbids inline code):
    escaped like Django's json_script, so that no value (a name holding "</script>")
    can leave the data block. Mark it safe in the template."""
    raw = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
    return raw.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
