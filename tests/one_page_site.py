"""A one-page site that uses the project's own plugin and engine: quick to build, easy to break."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
site_name: one page
theme: {{name: material, font: false}}
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.arithmatex: {{generic: true}}
plugins:
  - markdown-exec: {{languages: [python]}}
  - bce-proofs
"""


def build_one_page(tmp_path: Path, page: str, *flags: str) -> subprocess.CompletedProcess:
    """Build a site whose only page is ``page`` (Markdown), with the given MkDocs flags."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG.replace("{{", "{").replace("}}", "}"), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *flags, "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def executed(code: str) -> str:
    """A page with one executed Python block."""
    return f'# A page\n\n```python exec="on"\n{code.strip()}\n```\n'
