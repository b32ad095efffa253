"""Each private API the build uses (bce_site/private_api.py) is still there, and still does its job."""

from __future__ import annotations

from mkdocs.livereload import LiveReloadServer

from bce_site import private_api


def test_the_live_reload_server_polls_at_the_interval_set(tmp_path):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        watched = tmp_path / "docs"
        watched.mkdir()
        server.watch(str(watched))
        assert hasattr(server.observer, "_timeout"), "watchdog's observer no longer keeps its interval in `_timeout`"
        assert server.observer._timeout != private_api.POLL_SECONDS
        private_api.poll_faster(server, [str(watched)])
        assert server.observer._timeout == private_api.POLL_SECONDS
        assert any(watch.path == str(watched) for watch in server.observer._watches), "the path is no longer watched"
    finally:
        server.server_close()


def test_mkdocs_jupyter_keeps_a_notebook_in_the_cache_folder_set_before_its_pre_page_event(tmp_path):
    """The plugin names each notebook's cache folder by what it imports (bce_site/page_memo.py),
    setting mkdocs-jupyter's `cache_dir` option just before mkdocs-jupyter prepares the page."""
    import json

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs_jupyter.plugin import Plugin

    docs = tmp_path / "docs"
    docs.mkdir()
    cell = {"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# A notebook"}
    (docs / "a.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(docs), "site_dir": str(tmp_path / "site")})
    config.validate()
    jupyter = Plugin()
    jupyter.load_config({"cache": True, "execute": False, "cache_dir": str(tmp_path / "default")})
    jupyter.on_pre_build(config)
    page = Page(None, File("a.ipynb", str(docs), str(tmp_path / "site"), True), config)
    jupyter.config["cache_dir"] = str(tmp_path / "named")
    jupyter.on_pre_page(page, config, None)
    page.render(config, None)
    assert "A notebook" in page.content
    assert list((tmp_path / "named").glob("*.json")) and not (tmp_path / "default").exists(), "mkdocs-jupyter no longer reads `cache_dir` as it prepares each page"
