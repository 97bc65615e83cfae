"""`{% widget NAME key=value … %}`: a block another app registered (core.registry.WIDGETS)."""

from django import template
from django.utils.safestring import mark_safe

from cocrea.core.registry import WIDGETS

register = template.Library()


@register.simple_tag(takes_context=True)
def widget(context, name, **kwargs):
    render = WIDGETS.get(name)
    if render is None:
        return ""
    return mark_safe(render(context, **kwargs))  # noqa: S308 - the renderer escapes its own
