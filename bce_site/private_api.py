"""Every use of a library's private API in the build, in one place, each with its reason.

`tests/test_private_api.py` fails if a library changes what is used here.

One more lives in the stylesheet, not here: `docs/stylesheets/extra.css` hides a module listing's
line numbers while Material's copy button copies the code (the button marks the code
`data-md-copying` meanwhile, as the theme's own CSS uses it to leave out annotations), so that a
copied module is the file. `tests/test_browser.py` copies a module and compares it with the file.
"""

from __future__ import annotations

# MkDocs' live-reload server polls the watched paths every half second, set when a path is
# watched; a tenth of a second makes a saved edit show in under a second. The poll interval is
# the watchdog observer's private `_timeout` (MkDocs 1.6 creates a PollingObserver).
POLL_SECONDS = 0.1


def poll_faster(server, paths) -> None:
    server.observer._timeout = POLL_SECONDS
    for path in paths:  # MkDocs watched these before this event, at the old interval
        server.unwatch(path)
        server.watch(path)
