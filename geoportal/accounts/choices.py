"""Roles a user can hold (DESIGN.md section 4)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DEPT_ADMIN = "dept_admin", _("Department administrator")
    DEPT_OFFICER = "dept_officer", _("Department officer")
    EZ_OFFICER = "ez_officer", _("Economic Zone board officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COMMUNE_CHAIRMAN = "commune_chairman", _("Commune chairman")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    CONNECTION = "connection", _("Connection account")
