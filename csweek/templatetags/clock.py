"""`{{ when|clock }}`: the time of day as the viewer's locale prefers (see csweek.core.clock)."""

from django import template

from csweek.core.clock import format_time

register = template.Library()


@register.filter
def clock(value) -> str:
    return format_time(value)
