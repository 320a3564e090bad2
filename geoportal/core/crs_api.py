"""Coordinate conversion endpoint (filled in by the CRS work)."""
from rest_framework.views import APIView


class CrsTransformApi(APIView):
    pass
