from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The officer workspace: dashboard, statistics, work queues and the compiled provincial
    reports. It reads layers, reports and monitoring; none of them imports it."""

    name = "workspace"
    label = "workspace"
    verbose_name = _("Officer workspace")
