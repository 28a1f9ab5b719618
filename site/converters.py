"""URL converters."""


class IdConverter:
    """A database id: digits, short enough for any database (a huge number is a 404, not a
    crash in SQLite's integer conversion)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
