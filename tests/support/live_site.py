"""The site served by uvicorn on 127.0.0.1 in a background thread, as a browser reaches it."""

from __future__ import annotations

import threading
import time

import uvicorn
from fastapi import FastAPI


class LiveSite:
    """A uvicorn server for one app; `url` is where a browser finds it."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-site", daemon=True)

    def start(self, timeout_s: float = 20.0) -> None:
        """Start serving and wait until the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the site did not start on {self.url}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish (the lifespan closes the database)."""
        self._server.should_exit = True
        self._thread.join(timeout=20)
