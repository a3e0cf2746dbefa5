"""`autosafety serve` as a real subprocess for tests: started on a free loopback port, waited for,
stopped (or killed) by its process id."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

AUTOSAFETY = str(Path(sys.executable).parent / "autosafety")


class Served:
    """A running ``autosafety serve`` process and its base URL."""

    def __init__(self, port: int, *args: str, log: Path | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._log = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([AUTOSAFETY, "serve", "--port", str(port), *args],
                                        stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                        start_new_session=True)

    def wait_up(self, timeout: float = 60) -> Served:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, f"serve exited with {self.process.returncode}"
            try:
                if httpx.get(f"{self.url}/api/models", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def children(self) -> list[int]:
        """Process ids of the server's child processes."""
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(x) for x in text.split()]

    def kill(self) -> None:
        """SIGKILL, no chance to clean up (and its whole process group: forked workers too)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM and wait; SIGKILL if it does not stop in 20 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not subprocess.DEVNULL:
            self._log.close()  # type: ignore[union-attr]
