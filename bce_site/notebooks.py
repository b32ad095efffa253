"""The notebooks, executed in a process of their own while the pages' checks run.

Each notebook is run by nbconvert's command line (`--execute`) as soon as the build knows its
files, so its kernel works on the second core while the pages are checked; mkdocs-jupyter then
converts the executed copy and runs nothing. The copy is kept under `.cache/notebooks/<key>/`,
where the key (`PageMemo.notebook_key`) covers the notebook, what its cells import from
`snippets` and the build's context: a notebook runs again exactly when one of those changes, and
with ``PAGE_MEMO=off`` it runs every build, into a folder that is deleted afterwards. A cell that
raises leaves no copy behind: the failure is met again in the next build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Execution:
    source: Path
    target: Path
    process: subprocess.Popen | None  # None: the copy was already kept
    scratch: Path | None = None

    def wait(self) -> str | None:
        """None once the executed copy is at `target`; else what nbconvert said about the failure."""
        if self.process is None:
            return None
        _, errors = self.process.communicate()
        self.process = None
        try:
            executed = self.scratch / self.source.name
            if not executed.is_file():
                return _cell_error(errors) or "nbconvert wrote no executed notebook"
            self.target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(executed, self.target)
            return None
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


    def stop(self) -> None:
        """End a run the build no longer waits for (it stopped on an error)."""
        if self.process is not None:
            self.process.kill()
            self.process.communicate()
            self.process = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


def _cell_error(errors: str) -> str:
    """From nbconvert's log, the failing cell and its exception, without colours or nbclient's traceback."""
    lines = [line for line in ANSI_COLOUR.sub("", errors).splitlines() if line.strip()]
    first = next((index for index, line in enumerate(lines) if "CellExecutionError" in line), max(len(lines) - 12, 0))
    return "\n".join(lines[first:])


def start(source: Path, target: Path) -> Execution:
    """Run the notebook at `source` into `target` (in the background), unless `target` is kept."""
    if target.is_file():
        return Execution(source, target, None)
    scratch = Path(tempfile.mkdtemp(prefix="notebook-"))
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(scratch), str(source)]
    # The kernel's working folder is the notebook's, as mkdocs-jupyter's own execution had it.
    process = subprocess.Popen(command, cwd=source.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return Execution(source, target, process, scratch)
