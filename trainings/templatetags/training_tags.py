from django import template
from django.utils import timezone, translation

register = template.Library()


@register.filter
def clock(value):
    """A time as people write it: "9 h 30" in French, "9:30 a.m." in English (Montréal time)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if (translation.get_language() or "").startswith("en"):
        suffix = "a.m." if local.hour < 12 else "p.m."
        return f"{(local.hour % 12) or 12}:{local.minute:02d} {suffix}"
    return f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
