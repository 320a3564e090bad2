"""Template helpers of the report pages."""
from django import template

from reports.choices import ReportStatus
from reports.editor import text

register = template.Library()


@register.filter
def report_status(value: str) -> str:
    """The label of a report status value ("submitted" -> "Đã nộp")."""
    try:
        return ReportStatus(value).label
    except ValueError:
        return value or ""


@register.filter
def bilingual(value) -> str:
    """A definition's {"vi": ..., "en": ...} text in the current language."""
    return text(value)


@register.filter
def is_late_on(report, today) -> bool:
    """Was (or is) the report late on `today`?"""
    return report.is_late(today)
