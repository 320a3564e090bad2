from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Sharing data upward and outward: the data package for the national environmental
    database and the ministry, and the API for other agencies' connection accounts."""

    name = "exchange"
    label = "exchange"
    verbose_name = _("Data exchange")
