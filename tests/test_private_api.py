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
