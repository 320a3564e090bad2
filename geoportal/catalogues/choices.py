from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionAction(models.TextChoices):
    """What a catalogue revision recorded."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DEACTIVATE = "deactivate", _("Deactivated")
