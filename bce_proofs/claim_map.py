"""A map of the claims: which result builds on which, each with how its displays are checked.

Each claim module may declare ``BUILDS_ON = ("other_claim", …)``; the map lays the claims out in
layers, left to right (a claim sits to the right of everything it builds on), and draws it as an
SVG that follows the page's colours, with the same content as a list for readers who do not see the
figure. The SVG is drawn at its own size, never scaled down: its text is TITLE_SIZE and MARK_SIZE
pixels as drawn, and it fits the column of a desktop screen; on a narrower one it scrolls sideways.

>>> claims = [Claim("a", "A", "a/", {"proved": 2}, ()), Claim("b", "B", "b/", {"checked": 1}, ("a",))]
>>> layers(claims)
{'a': 0, 'b': 1}
>>> "A</text>" in svg(claims) and 'aria-labelledby' in svg(claims) and "<a " not in svg(claims)
True
>>> svg([]), as_list([])
('', '')
"""

from __future__ import annotations

import ast
import html
from dataclasses import dataclass

from bce_proofs.display import STATUSES

BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y = 150, 78, 24, 12
LINE_LENGTH, TITLE_LINES = 19, 3  # characters a title line holds at TITLE_SIZE in BOX_WIDTH
TITLE_SIZE, MARK_SIZE = 13, 12  # px; 12 is the smallest that reads on a phone


@dataclass(frozen=True)
class Claim:
    name: str
    title: str
    url: str
    totals: dict[str, int]
    builds_on: tuple[str, ...]

    def status_line(self) -> str:
        parts = [f"{count} {status}" for status, count in self.totals.items() if count]
        return ", ".join(parts) or "no displays"

    def marks_line(self) -> str:
        """The counts behind each status's mark, as the pages show the marks: ``✓ 9 · ≈ 1``."""
        parts = [f"{STATUSES[status].split()[0]} {count}" for status, count in self.totals.items() if count and status in STATUSES]
        return " · ".join(parts) or "no displays"


def builds_on(source: str) -> tuple[str, ...]:
    """A claim module's ``BUILDS_ON``, read from its source without importing it (importing runs its checks).

    >>> builds_on('import sympy\\nBUILDS_ON = ("a", "b")\\n')
    ('a', 'b')
    """
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "BUILDS_ON" for target in node.targets):
            return tuple(ast.literal_eval(node.value))
    return ()


def layers(claims: list[Claim]) -> dict[str, int]:
    """Each claim's depth: one more than the deepest claim it builds on (unknown names are ignored)."""
    known = {claim.name: claim for claim in claims}
    depth: dict[str, int] = {}

    def visit(name: str, path: tuple[str, ...]) -> int:
        if name in path:
            raise ValueError(f"claims build on each other in a circle: {' → '.join((*path, name))}")
        if name not in depth:
            parents = [parent for parent in known[name].builds_on if parent in known]
            depth[name] = 1 + max((visit(parent, (*path, name)) for parent in parents), default=-1)
        return depth[name]

    for claim in claims:
        visit(claim.name, ())
    return depth


def wrap(title: str, lines: int = TITLE_LINES) -> list[str]:
    """The title in at most ``lines`` lines of about LINE_LENGTH characters; the last one shortened if need be."""
    result = [""]
    for word in title.split():
        if result[-1] and len(result[-1]) + 1 + len(word) > LINE_LENGTH:
            result.append("")
        result[-1] = f"{result[-1]} {word}".strip()
    if len(result) > lines:
        result = result[: lines - 1] + [" ".join(result[lines - 1 :])[: LINE_LENGTH - 1] + "…"]
    return result


def svg(claims: list[Claim]) -> str:
    """The map as a figure (its links are in `as_list`: an image holds no links)."""
    if not claims:
        return ""
    depth = layers(claims)
    columns: dict[int, list[Claim]] = {}
    for claim in claims:
        columns.setdefault(depth[claim.name], []).append(claim)
    tallest = max(len(column) for column in columns.values())
    width = len(columns) * (BOX_WIDTH + GAP_X) - GAP_X
    height = tallest * (BOX_HEIGHT + GAP_Y) - GAP_Y
    centre: dict[str, tuple[float, float]] = {}
    for level, column in columns.items():
        offset = (height - (len(column) * (BOX_HEIGHT + GAP_Y) - GAP_Y)) / 2
        for index, claim in enumerate(column):
            centre[claim.name] = (level * (BOX_WIDTH + GAP_X) + BOX_WIDTH / 2, offset + index * (BOX_HEIGHT + GAP_Y) + BOX_HEIGHT / 2)
    edges = []
    for claim in claims:
        for parent in claim.builds_on:
            if parent in centre:
                (x1, y1), (x2, y2) = centre[parent], centre[claim.name]
                edges.append(
                    f'<line x1="{x1 + BOX_WIDTH / 2:.0f}" y1="{y1:.0f}" x2="{x2 - BOX_WIDTH / 2 - 3:.0f}" y2="{y2:.0f}" '
                    'stroke="currentColor" stroke-opacity="0.5" marker-end="url(#claim-map-arrow)"/>'
                )
    boxes = []
    for claim in claims:
        x, y = centre[claim.name]
        left, top = x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2
        # The box's fill is the page's background: an arrow passing behind a box does not cross its text.
        boxes.append(
            f'<g><rect x="{left:.0f}" y="{top:.0f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" '
            'fill="var(--md-default-bg-color, #fff)" stroke="currentColor"/>'
            + "".join(
                f'<text x="{x:.0f}" y="{top + 18 + 15 * number:.0f}" text-anchor="middle" font-size="{TITLE_SIZE}" fill="currentColor">{html.escape(line)}</text>'
                for number, line in enumerate(wrap(claim.title))
            )
            + f'<text x="{x:.0f}" y="{top + BOX_HEIGHT - 9:.0f}" text-anchor="middle" font-size="{MARK_SIZE}" fill="currentColor">'
            f"{html.escape(claim.marks_line())}</text></g>"
        )
    return (
        f'<svg class="claim-map" viewBox="-2 -2 {width + 4} {height + 4}" width="{width + 4}" height="{height + 4}" '
        'role="img" aria-labelledby="claim-map-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="claim-map-title">Which claim builds on which; the list below says the same in words</title>'
        '<defs><marker id="claim-map-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L8,4 L0,8 z" fill="currentColor"/></marker></defs>'
        + "".join(edges)
        + "".join(boxes)
        + "</svg>"
    )


def figure(claims: list[Claim]) -> str:
    """The map in a scrolling frame (on a screen narrower than the map), its marks explained under it."""
    if not claims:
        return ""
    legend = ", ".join(STATUSES.values())
    return (
        f'<figure class="claim-map-figure"><div class="claim-map-scroll">{svg(claims)}</div>'
        f"<figcaption>Under each title, its displays by status: {html.escape(legend)}.</figcaption></figure>"
    )


def as_list(claims: list[Claim]) -> str:
    """The map in words, as an HTML list."""
    if not claims:
        return ""
    titles = {claim.name: claim for claim in claims}
    items = []
    for claim in claims:
        parents = [titles[name] for name in claim.builds_on if name in titles]
        uses = (
            " — builds on " + ", ".join(f'<a href="{html.escape(p.url)}">{html.escape(p.title)}</a>' for p in parents)
            if parents
            else " — builds on the definitions alone"
        )
        items.append(f'<li><a href="{html.escape(claim.url)}">{html.escape(claim.title)}</a>: {html.escape(claim.status_line())}{uses}</li>')
    return "<ul>" + "".join(items) + "</ul>"
