"""A page is rendered again exactly when something it reads has changed (bce_site/page_memo.py).

The build keeps each page's rendered content keyed on the page, the site's configuration and every
module of `snippets` the page imports, followed through their own imports; a notebook's executed
copy (bce_site/notebooks.py) is kept on the same terms. Here a project with a page, a notebook and a
`snippets` package of its own counts, in a file each, every time the page's block or the
notebook's cell runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bce_site.page_memo import dependencies

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
site_name: memo
theme: {name: material, font: false}
markdown_extensions: [pymdownx.superfences]
plugins:
  - markdown-exec: {languages: [python]}
  - mkdocs-jupyter: {execute: false}
  - bce-proofs
"""
PAGE = """# A page

```python exec="on"
from snippets.claim import VALUE
with open("runs.txt", "a") as runs:
    runs.write("ran\\n")
print(VALUE)
```
"""

# The kernel runs in the notebook's folder, docs/.
NOTEBOOK_CELL = """from snippets.claim import VALUE
with open("../notebook-runs.txt", "a") as runs:
    runs.write("ran\\n")
print(VALUE)"""


def notebook(source: str = NOTEBOOK_CELL) -> str:
    """A notebook of one code cell, for the python3 kernel."""
    cell = {"cell_type": "code", "execution_count": None, "id": "count", "metadata": {}, "outputs": [], "source": source}
    kernel = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    return json.dumps({"cells": [cell], "metadata": kernel, "nbformat": 4, "nbformat_minor": 5})


def test_a_page_depends_on_the_modules_it_imports_and_theirs():
    found = {path.relative_to(ROOT).as_posix() for path in dependencies(ROOT, "from snippets.soft_target_minimum import stationary_points")}
    # soft_target_minimum imports `cost`, which imports `numeric` and the engine (a package that imports its modules on first use).
    assert {"snippets/soft_target_minimum.py", "snippets/cost.py", "snippets/numeric.py", "bce_proofs/chain.py", "bce_proofs/matrix_tex.py"} <= found, found
    assert "snippets/backprop.py" not in found and "snippets/neuron_gradient.py" not in found, found
    # The pages that use only the cost do not depend on the claims made about it.
    on_the_cost = {path.relative_to(ROOT).as_posix() for path in dependencies(ROOT, "from snippets import neuron_gradient")}
    assert "snippets/cost.py" in on_the_cost and "snippets/soft_target_minimum.py" not in on_the_cost, on_the_cost
    submodules = {path.relative_to(ROOT).as_posix() for path in dependencies(ROOT, "from snippets import (\n    sign_error,\n)")}
    assert "snippets/sign_error.py" in submodules and "snippets/soft_target_minimum.py" not in submodules, submodules


def _project(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    (tmp_path / "docs" / "notebook.ipynb").write_text(notebook())
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    shutil.copytree(ROOT / "bce_proofs", tmp_path / "bce_proofs", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "__init__.py").write_text("")
    (tmp_path / "snippets" / "claim.py").write_text("from snippets.helper import WORD\nVALUE = WORD + ' one'\n")
    (tmp_path / "snippets" / "helper.py").write_text("WORD = 'value'\n")
    (tmp_path / "snippets" / "unrelated.py").write_text("X = 1\n")
    return tmp_path


def _build(project: Path, **environment: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(project / "site")],
        cwd=project, env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **environment},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (project / "site" / "index.html").read_text()


def _runs(project: Path, what: str = "runs.txt") -> int:
    return len((project / what).read_text().splitlines())


def _notebook_runs(project: Path) -> int:
    return _runs(project, "notebook-runs.txt")


@pytest.mark.build
def test_a_page_runs_again_only_when_a_module_it_reads_changes(tmp_path):
    project = _project(tmp_path)
    first = _build(project)
    assert _runs(project) == 1 and "value one" in first
    assert _notebook_runs(project) == 1 and "value one" in (project / "site" / "notebook" / "index.html").read_text()
    assert _build(project) == first and _runs(project) == 1, "nothing changed, yet the page ran again (or rendered differently)"
    assert _notebook_runs(project) == 1, "nothing changed, yet the notebook ran again"
    (project / "snippets" / "unrelated.py").write_text("X = 2\n")
    _build(project)
    assert _runs(project) == 1, "a module the page does not import made it run again"
    assert _notebook_runs(project) == 1, "a module the notebook does not import made it run again"
    (project / "snippets" / "helper.py").write_text("WORD = 'changed'\n")
    assert "changed one" in _build(project) and _runs(project) == 2, "an edit to a module the page imports (through another) was not shown"
    assert _notebook_runs(project) == 2 and "changed one" in (project / "site" / "notebook" / "index.html").read_text()
    (project / "docs" / "index.md").write_text(PAGE + "\nMore prose.\n")
    assert "More prose." in _build(project) and _runs(project) == 3
    kept = sorted((project / ".cache" / "notebooks").rglob("*.ipynb"))
    _build(project, PAGE_MEMO="off")
    assert _runs(project) == 4, "PAGE_MEMO=off still used the memo"
    assert _notebook_runs(project) == 3, "PAGE_MEMO=off still used the notebook's kept copy"
    assert sorted((project / ".cache" / "notebooks").rglob("*.ipynb")) == kept, "PAGE_MEMO=off kept an executed copy"


@pytest.mark.build
def test_a_failing_page_is_not_kept(tmp_path):
    project = _project(tmp_path)
    (project / "docs" / "index.md").write_text(PAGE.replace("print(VALUE)", "raise RuntimeError('broken')"))
    for attempt in (1, 2):
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "--no-strict", "--site-dir", str(project / "site")],
            cwd=project, env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"},
            capture_output=True, text=True, timeout=300,
        )
        assert result.returncode != 0 and "broken" in result.stdout + result.stderr, (attempt, result.stdout + result.stderr)
        assert _runs(project) == attempt, "the failing page was not run again"


def test_templates_are_compiled_once_and_again_when_they_change(tmp_path):
    """The theme's templates are kept compiled in .cache/jinja/ (the plugin's `on_env`); an edited template is compiled anew."""
    import jinja2

    from bce_site.plugin import ProofsPlugin

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("first {{ word }}")

    def rendered() -> str:
        plugin = ProofsPlugin()
        plugin.root = tmp_path
        environment = plugin.on_env(jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates))), None, None)
        return environment.get_template("page.html").render(word="draft")

    assert rendered() == "first draft"
    kept = list((tmp_path / ".cache" / "jinja").iterdir())
    assert len(kept) == 1, "the compiled template was not kept"
    kept[0].write_bytes(kept[0].read_bytes().replace(b"first ", b"kept! "))
    assert rendered() == "kept! draft", "the kept compiled template was not used"
    (templates / "page.html").write_text("second {{ word }}")
    assert rendered() == "second draft", "an edited template was not compiled again"
