from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("Department of Agriculture and Environment")
    EZ_BOARD = "ez_board", _("Economic Zone Management Board")
    COMMUNE = "commune", _("Commune/ward/special-zone People's Committee")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Connection agency")


class UnitKind(models.TextChoices):
    WARD = "phuong", _("Ward")
    COMMUNE = "xa", _("Commune")
    SPECIAL_ZONE = "dac_khu", _("Special zone")
