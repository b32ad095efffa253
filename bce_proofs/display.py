"""How a checked display appears on a page: its formulas, its reasons, and how it was checked.

Every display the engine prints is one block::

    <div class="proof" data-status="proved|checked|definition|remark" id="proof-…" data-label="…">
      <div class="proof-step"><div class="proof-math">\\[ … \\]</div><div class="proof-reason">…</div></div>
      …
      <div class="proof-foot">
        <details class="proof-status"><summary>✓ proved</summary> the full wording <ol> the steps </ol></details>
      </div>
    </div>

Shown by default are the formulas, the reason under each step and the status's mark (`STATUSES`);
how the display was checked opens on demand, and the ledger (`bce_proofs.ledger`) keeps it in
full. The foot is a row, so that what a reader can do with a display can follow the mark.

A row wider than a phone's column (by `width_em`, an estimate calibrated against Chromium's widths in
tests/test_reader_path.py) gets ``\\allowbreak`` before each of its top-level relations and +/− signs
(`breakable`); the site's renderer sets such a display as pieces a narrow column wraps at those points.

The math stays TeX here (``\\[…\\]`` and ``\\(…\\)`` inside arithmatex's markup); the site renders it.
The build refuses any display that is not inside such a block (`bce_proofs.ledger`).

>>> print(reason_html(r"chain rule: $\\frac{d}{da}\\ln(1-a)$ & `np.log1p`"))
chain rule: <span class="arithmatex">\\(\\frac{d}{da}\\ln(1-a)\\)</span> &amp; <code>np.log1p</code>
"""

from __future__ import annotations

import hashlib
import html
import re

STATUSES = {
    "proved": "✓ proved",
    "checked": "≈ checked",
    "definition": "≔ definition",
    "remark": "※ remark",
}
_INLINE = re.compile(r"\$(?P<math>[^$]+)\$|`(?P<code>[^`]+)`")


def reason_html(text: str) -> str:
    """A reason or note as HTML: ``$…$`` is inline math, backticks are code, the rest is plain text.

    Plain text is escaped, so ``e^z``, ``σ`` or ``<`` outside dollars are shown as typed.
    """
    pieces, last = [], 0
    for match in _INLINE.finditer(text):
        pieces.append(html.escape(text[last : match.start()], quote=False))
        if match["math"] is not None:
            pieces.append(f'<span class="arithmatex">\\({html.escape(match["math"], quote=False)}\\)</span>')
        else:
            pieces.append(f"<code>{html.escape(match['code'], quote=False)}</code>")
        last = match.end()
    pieces.append(html.escape(text[last:], quote=False))
    return "".join(pieces)


def anchor(*texts: str) -> str:
    return "proof-" + hashlib.sha1("\n".join(texts).encode()).hexdigest()[:10]


def display_block(
    status: str,
    rows: list[tuple[str, str]],
    summary: str,
    details: list[str],
    label: str,
    try_text: str | None = None,
) -> str:
    """One display: ``rows`` are (TeX, reason) pairs, ``details`` lines of HTML on how it was checked.

    ``try_text``, a derivation in the format of `bce_proofs.derivation`, adds a "try it" link after the
    status: the site's plugin points it at the check page with that text, for a reader to break a step.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    steps = "\n".join(
        '<div class="proof-step">'
        f'<div class="proof-math"><div class="arithmatex">\\[{html.escape(breakable(tex), quote=False)}\\]</div></div>'
        f'<div class="proof-reason">{reason_html(reason)}</div>'
        "</div>"
        for tex, reason in rows
    )
    items = "".join(f"<li>{line}</li>" for line in details)
    identifier = anchor(label, *(tex for tex, _ in rows))
    # The wording is a bare text node, not a paragraph: the heaviest page is near its element budget.
    return (
        f'<div class="proof" data-status="{status}" id="{identifier}" data-label="{html.escape(label)}">\n'
        f"{steps}\n"
        f'<div class="proof-foot"><details class="proof-status"><summary>{STATUSES[status]}</summary>'
        f"{html.escape(summary, quote=False)}<ol>{items}</ol></details>{_try_link(try_text)}</div>\n"
        "</div>\n"
    )


def _try_link(text: str | None) -> str:
    if text is None:
        return ""
    # One line in the page's markup (a blank line would end Markdown's raw HTML block).
    return f'<a class="proof-try" data-try="{html.escape(text, quote=True).replace(chr(10), "&#10;")}">try it</a>'


def code(text: str) -> str:
    return f"<code>{html.escape(text, quote=False)}</code>"


def source(where: str) -> str:
    """``file:line`` as a link to that line of the module's source page, when it names a module.

    The site's plugin resolves ``data-source`` to the page's relative address.

    >>> source("snippets/backprop.py:12")
    '<a data-source="snippets/backprop.py" data-line="12"><code>snippets/backprop.py:12</code></a>'
    >>> source("<code block: backprop>:3")
    '<code>&lt;code block: backprop&gt;:3</code>'
    """
    path, _, line = where.rpartition(":")
    if not (path.startswith("snippets/") and path.endswith(".py") and line.isdigit()):
        return code(where)
    return f'<a data-source="{html.escape(path)}" data-line="{line}">{code(where)}</a>'


# ---- Rows too wide for a phone: where they may break, and how wide they are -----------------------

# What a phone's column holds, in ems of the estimate: 390 px less the page's margins (about 358 px of
# column) at the math's 16.8 px is 21 ems; Pagella Math is wider than the estimate's widths, and the
# estimate errs (tests/test_reader_path.py compares it with Chromium's widths).
PHONE_COLUMN_EM = 16.0
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.DOTALL)
_RELATIONS = {"=", "<", ">", r"\le", r"\leq", r"\ge", r"\geq", r"\approx", r"\ne", r"\neq", r"\equiv", r"\to", r"\propto", r"\overset"}
_PAIRS = {"{": "}", "(": ")", "[": "]", r"\left": r"\right", r"\begin": r"\end", r"\{": r"\}", r"\lVert": r"\rVert"}
_SIZED = {r"\left", r"\right"}  # (\big's delimiter counts as a bracket itself)
_NO_BINARY_AFTER = _RELATIONS | {"+", "-", r"\pm", r"\cdot", r"\times", ",", "^", "_", r"\allowbreak"}


def _tokens(tex: str) -> list[str]:
    return [token for token in _TOKEN.findall(tex) if not token.isspace()]


def break_points(tex: str) -> list[int]:
    """Indices into `_tokens(tex)` of the top-level relations, binary +/− signs and Frobenius products
    (``:``), where a line may break.

    None when the TeX's brackets do not balance (an interval such as ``[0, 1)``): then nothing is
    known to be top-level, and the row is not broken.

    >>> tokens = _tokens(r"C = -\\frac{1}{n}\\left(y - a\\right) + (1 - y) \\le 2")
    >>> [tokens[index] for index in break_points(r"C = -\\frac{1}{n}\\left(y - a\\right) + (1 - y) \\le 2")]
    ['=', '+', '\\\\le']
    >>> break_points("[0, 1) + 1") is None
    True
    >>> tokens = _tokens(r"\big(y - a\big) - 1")
    >>> [tokens[index] for index in break_points(r"\big(y - a\big) - 1")]
    ['-']
    """
    open_brackets, points, previous = [], [], None
    for index, token in enumerate(_tokens(tex)):
        if previous in _SIZED:
            pass  # the delimiter \left or \right sizes: counted with its command
        elif token in _PAIRS:
            open_brackets.append(_PAIRS[token])
        elif token in _PAIRS.values():
            if not open_brackets or open_brackets.pop() != token:
                return None
        elif not open_brackets and previous is not None and (
            token in _RELATIONS or (token in {"+", "-", ":"} and previous not in _NO_BINARY_AFTER)
        ):
            points.append(index)
        previous = token
    return None if open_brackets else points


# Advance widths in ems, roughly those of the math font (TeX Gyre Pagella Math); what the table leaves out counts as a letter.
_WIDE = {r"\sum": 1.45, r"\prod": 1.45, r"\quad": 1.0, r"\qquad": 2.0, r"\,": 0.17, r"\;": 0.28, r"\:": 0.22, r"\!": -0.17,
         r"\cdot": 0.72, r"\odot": 1.0, r"\oslash": 1.0, r"\times": 1.0, r"\pm": 1.0, r"\nabla": 0.85, r"\infty": 1.0,
         "(": 0.39, ")": 0.39, "[": 0.3, "]": 0.3, ",": 0.45, ".": 0.28, "'": 0.3, "|": 0.3, "!": 0.3, "1": 0.5}
_ZERO = {r"\left", r"\right", r"\displaystyle", r"\allowbreak", r"\big", r"\Big", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", "{", "}", "&"}
_WORDS = {r"\ln", r"\log", r"\exp", r"\max", r"\min", r"\lim", r"\tanh", r"\arctan", r"\sin", r"\cos"}


def width_em(tex: str) -> float:
    """About how wide the row is set in display style, in ems (an overestimate rather than an under).

    >>> round(width_em(r"\\frac{a}{b} + c"), 2)
    2.66
    """
    tokens = _tokens(tex)
    position = 0

    def group() -> float:
        nonlocal position
        if position >= len(tokens):
            return 0.0
        token = tokens[position]
        position += 1
        if token != "{":
            return atom(token)
        total = 0.0
        while position < len(tokens) and tokens[position] != "}":
            total += item()
        position += 1
        return total

    def atom(token: str) -> float:
        if token in _ZERO:
            return 0.0
        if token in _WIDE:
            return _WIDE[token]
        if token in _WORDS:
            return 0.5 * (len(token) - 1) + 0.17
        if token in _RELATIONS or token in {"+", "-"}:
            return 1.33 if token in _RELATIONS else 1.22
        if token.isdigit():
            return 0.5
        return 0.6

    def item() -> float:
        nonlocal position
        token = tokens[position]
        position += 1
        if token == r"\frac":
            return max(group(), group()) + 0.24
        if token == r"\sqrt":
            return group() + 0.85
        if token in {r"\text", r"\operatorname", r"\mathrm", r"\textrm"}:
            start = position
            inner = group()
            letters = sum(len(piece) for piece in tokens[start:position] if piece not in "{}")
            return max(inner * 0.75, letters * 0.5) + 0.17
        if token in {r"\overset", r"\underset", r"\stackrel"}:
            return max(0.7 * group(), group()) + 0.56
        if token in {r"\mathbf", r"\tilde", r"\hat", r"\bar", r"\mathcal"}:
            return group() * 1.1
        if token == "{":
            position -= 1
            return group()
        if token in {"^", "_"}:
            return 0.72 * group()
        return atom(token)

    total = 0.0
    while position < len(tokens):
        total += item()
    return total


def breakable(tex: str, column_em: float = PHONE_COLUMN_EM) -> str:
    """The row with ``\\allowbreak`` before its top-level relations and +/− signs when it is wider
    than a phone's column and has any; otherwise as it is.

    >>> breakable("a = b")
    'a = b'
    >>> breakable(r"C = \\frac{1}{n}\\sum_i x_i + y", column_em=4)
    'C \\\\allowbreak = \\\\frac{1}{n}\\\\sum_i x_i \\\\allowbreak + y'
    """
    points = break_points(tex)
    if not points or width_em(tex) <= column_em:
        return tex
    starts = [match.start() for match in _TOKEN.finditer(tex) if not match.group().isspace()]
    pieces, last = [], 0
    for index in points:
        pieces.append(tex[last : starts[index]].rstrip())
        last = starts[index]
    pieces.append(tex[last:])
    return r" \allowbreak ".join(pieces)


def page_status(statuses: list[str], checks_url: str) -> str:
    """The one line under a page's title on how its displays were checked, linking to the checks page.

    Empty for a page with nothing proved or checked.

    >>> page_status(["proved", "proved", "checked", "definition"], "../checks/")
    '<p class="page-status"><a href="../checks/">3 formulas: 2 ✓ proved, 1 ≈ checked</a></p>'
    >>> page_status(["definition"], "../checks/")
    ''
    """
    counts = {status: statuses.count(status) for status in ("proved", "checked") if status in statuses}
    if not counts:
        return ""
    total = sum(counts.values())
    parts = ", ".join(f"{count} {STATUSES[status]}" for status, count in counts.items())
    return f'<p class="page-status"><a href="{html.escape(checks_url)}">{total} formula{"s" if total != 1 else ""}: {parts}</a></p>'


def tex_number(value: float, digits: int = 2) -> str:
    """A float for math TeX, as a reader writes it: ``8.53 \\times 10^{-17}``, never ``8.53e-17``
    (which TeX sets as 8.53 times an italic e minus 17; the site's renderer refuses it).

    >>> tex_number(8.5266e-17)
    '8.53 \\\\times 10^{-17}'
    >>> tex_number(0.0), tex_number(-3.3e-14, 1), tex_number(1.5)
    ('0', '-3.3 \\\\times 10^{-14}', '1.50')
    """
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return mantissa if int(exponent) == 0 else f"{mantissa} \\times 10^{{{int(exponent)}}}"
