"""Phone numbers as typed by editors ("514 555-0142 poste 12") linked as RFC 3966 `tel:` URIs.

A space in a `tel:` href is invalid HTML; a number without its country code is ambiguous for a
phone abroad. Numbers here are North American: ten digits get +1.
"""

import re

from django import template

register = template.Library()

EXTENSION = re.compile(r"(?:poste|post\.|extension|ext\.?|x|#)\s*(\d+)\s*$", re.IGNORECASE)


@register.filter
def tel_href(number):
    """`tel:+15145550142;ext=12`, `tel:911` for a short number, "" when there is no number."""
    text = str(number or "").strip()
    extension = ""
    match = EXTENSION.search(text)
    if match:
        extension = f";ext={match.group(1)}"
        text = text[: match.start()]
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    if text.startswith("+"):
        return f"tel:+{digits}{extension}"
    if len(digits) == 10:
        return f"tel:+1{digits}{extension}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits}{extension}"
    return f"tel:{digits}{extension}"
