import json

from rest_framework.renderers import BaseRenderer


class GeoJSONRenderer(BaseRenderer):
    """Passes through GeoJSON text already built in PostGIS (RFC 7946 media type).
    Anything else (an error body) is rendered as JSON."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, (bytes, str)):
            return data
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
