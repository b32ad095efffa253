"""A static file server for the built site on 127.0.0.1, in a background thread."""

from __future__ import annotations

import contextlib
import errno
import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser left for another page before this response was sent


def _bind(handler, port: int, wait: float) -> ThreadingHTTPServer:
    """A server on `port`; while another test process serves on it, wait (up to `wait` seconds) for it to finish."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as error:
            if error.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@contextlib.contextmanager
def serve_directory(directory: Path, port: int = 0, wait: float = 900):
    """Yields the base URL, e.g. http://127.0.0.1:43211/, of a server for `directory`."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _bind(handler, port, wait)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> list[str]:
    """The URL path of every page of a built site ("" for the home page), search and assets left out."""
    paths = sorted(path.relative_to(site).parent.as_posix() for path in site.glob("**/index.html"))
    return [("" if path == "." else path + "/") for path in paths if not path.startswith(("search", "assets"))]
