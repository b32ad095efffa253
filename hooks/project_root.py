"""The build checks the tree it builds.

Executed blocks and notebooks import `snippets`. If another copy is importable too (a plain
`pip install .`, another checkout's editable install), Python could pick that copy and the build
would check stale code. This hook puts the root of the project being built first on `sys.path`
(and on the `PYTHONPATH` the notebook kernels inherit), and refuses to build if `snippets` still
comes from anywhere else.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _put_first(root: str) -> None:
    sys.path[:] = [root] + [entry for entry in sys.path if entry != root]
    entries = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry and entry != root]
    os.environ["PYTHONPATH"] = os.pathsep.join([root, *entries])


def _import_own_snippets(root: str) -> None:
    _put_first(root)
    for name in [name for name in sys.modules if name == "snippets" or name.startswith("snippets.")]:
        del sys.modules[name]
    importlib.import_module("snippets")


# Already when MkDocs loads the hooks (this one first), since later hooks import `snippets` as they
# load; MkDocs restores sys.path after loading each hook, but the imported package stays.
_import_own_snippets(str(Path(__file__).resolve().parent.parent))


def on_config(config):
    _put_first(str(project_root(config)))
    return config


def on_pre_build(config):
    expected = project_root(config) / "snippets"
    loaded = sys.modules.get("snippets") or importlib.import_module("snippets")
    found = Path(loaded.__file__).resolve().parent
    if found != expected:
        raise PluginError(
            f"The build would check another copy of `snippets`: {found}, not this tree's {expected}. "
            "Uninstall that copy (`pip uninstall bce-proofs`, then `pip install -e .` here) and build again."
        )
