"""How a checked display appears on a page: its formulas, its reasons, and how it was checked.

Every display the engine prints is one block::

    <div class="proof" data-status="proved|checked|definition|remark" id="proof-…">
      <div class="proof-step"><div class="proof-math">\\[ … \\]</div><div class="proof-reason">…</div></div>
      …
      <details class="proof-status"><summary>✓ proved symbolically</summary> how, step by step </details>
    </div>

The math stays TeX here (``\\[…\\]`` and ``\\(…\\)`` inside arithmatex's markup); the site renders it.
The build refuses any display that is not inside such a block (`snippets.proof.ledger`).

>>> print(reason_html(r"chain rule: $\\frac{d}{da}\\ln(1-a)$ & `np.log1p`"))
chain rule: <span class="arithmatex">\\(\\frac{d}{da}\\ln(1-a)\\)</span> &amp; <code>np.log1p</code>
"""

from __future__ import annotations

import hashlib
import html
import re

STATUSES = {
    "proved": "✓ proved",
    "checked": "✓ checked",
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
) -> str:
    """One display: ``rows`` are (TeX, reason) pairs, ``details`` lines of HTML on how it was checked."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    steps = "\n".join(
        '<div class="proof-step">'
        f'<div class="proof-math"><div class="arithmatex">\\[{html.escape(tex, quote=False)}\\]</div></div>'
        f'<div class="proof-reason">{reason_html(reason)}</div>'
        "</div>"
        for tex, reason in rows
    )
    items = "".join(f"<li>{line}</li>" for line in details)
    identifier = anchor(label, *(tex for tex, _ in rows))
    return (
        f'<div class="proof" data-status="{status}" id="{identifier}" data-label="{html.escape(label)}">\n'
        f"{steps}\n"
        f'<details class="proof-status"><summary>{STATUSES[status]}: {html.escape(summary, quote=False)}</summary>'
        f"<ol>{items}</ol></details>\n"
        "</div>\n"
    )


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
