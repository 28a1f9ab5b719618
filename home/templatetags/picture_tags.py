"""`{% filter unique_srcset %}{% picture … %}{% endfilter %}`: Wagtail never enlarges an image,
so for a source narrower than the widest size asked for, two candidates of a `srcset` get the
same width ("890w, 890w"), which HTML forbids. This keeps the first candidate of each width."""

import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def _unique(match):
    seen = set()
    kept = []
    for candidate in match.group(2).split(","):
        candidate = candidate.strip()
        descriptor = candidate.rsplit(" ", 1)[-1] if " " in candidate else "1x"
        if candidate and descriptor not in seen:
            seen.add(descriptor)
            kept.append(candidate)
    return match.group(1) + ", ".join(kept) + match.group(3)


@register.filter(is_safe=True)
def unique_srcset(html):
    return mark_safe(SRCSET.sub(_unique, str(html)))
