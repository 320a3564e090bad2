from django import template
from django.utils.formats import localize
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def field_display(obj, name: str):
    """A field's value for a table cell: choice labels, yes/no, localised numbers."""
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return localize(value)
