"""Navigation entries of the monitoring pages (public: the AQI map)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def monitoring_nav(request):
    return {"monitoring_nav": [{"label": _("Air quality"), "url": reverse("monitoring:aqi-map")}]}
