"""Tables and the end-of-run summary: every Done-when figure of issue 11 next to its target."""

from dataclasses import dataclass


def table(headers, rows, *, left=1):
    """Lines of a plain-text table: the first `left` columns aligned left, the others right."""
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [
        max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
        for i, h in enumerate(headers)
    ]

    def line(cells):
        return "  ".join(
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def verdict(met):
    """How a target reads in the tables: met, NOT met, or n/a (not measured in this run, or
    not at the scale the target is set at)."""
    return {True: "met", False: "NOT met", None: "n/a"}[met]


@dataclass
class Figure:
    """One line of the summary: what, the figure measured, the target, whether it is met."""

    name: str
    measured: str
    target: str
    met: bool | None  # None: n/a (skipped, nothing to measure, or not at the target's scale)


INFORMATION = "none: for information"


class Summary:
    """The Done-when figures, in the order of the issue; each part of the bench fills its own."""

    def __init__(self):
        self.figures = {}

    def expect(self, key, name, target):
        """Declare a figure before measuring: a skipped part still shows its line."""
        self.figures[key] = Figure(name, "—", target, None)

    def measured(self, key, measured, met):
        figure = self.figures[key]
        figure.measured, figure.met = measured, met

    def lines(self):
        rows = [
            [
                figure.name,
                figure.measured,
                figure.target,
                "—" if figure.target == INFORMATION else verdict(figure.met),
            ]
            for figure in self.figures.values()
        ]
        return table(["figure", "measured", "target", "verdict"], rows, left=4)
