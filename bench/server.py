"""Gunicorn servers started by the bench, with the bench's production settings.

Each server runs `gunicorn cqctp.wsgi` with 2 workers on 127.0.0.1 and a free port (or the one
given), using the repository's gunicorn config file (site/gunicorn.conf.py) when it exists; the
command line's --workers and --bind win over the file. Its output goes to a log file in the
run's temporary folder, read back for the worker class and shown when the server fails.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = REPOSITORY / "site" / "gunicorn.conf.py"
WORKERS = 2
READY_SECONDS = 120


def free_port():
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    """One request's outcome, for the checks before and after a load run."""

    status: int
    size: int
    x_cache: str
    error: str = ""


def fetch(port, path, headers, timeout=30):
    """GET `path` once on its own connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return Answer(response.status, len(body), response.getheader("X-Cache") or "")
    except OSError as error:
        return Answer(0, 0, "", f"{type(error).__name__}: {error}")
    finally:
        connection.close()


@dataclass
class Server:
    """One gunicorn master and its workers, started with the environment `env`."""

    name: str
    port: int
    env: dict
    log_path: Path
    process: subprocess.Popen | None = None
    command: list = field(default_factory=list)

    def start(self):
        self.command = [sys.executable, "-m", "gunicorn"]
        if GUNICORN_CONFIG.exists():
            self.command += ["--config", str(GUNICORN_CONFIG)]
        self.command += [
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "cqctp.wsgi",
        ]
        env = {
            **self.env,
            "PORT": str(self.port),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(WORKERS),
        }
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=REPOSITORY,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )

    def wait_ready(self, path, headers):
        """Until `path` answers (whatever the status: a broken page is measured and reported,
        not waited for), the master exits, or time runs out."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited ({self.process.returncode}):\n{self.tail()}"
                )
            answer = fetch(self.port, path, headers, timeout=10)
            if answer.status:
                return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {READY_SECONDS} s:\n{self.tail()}")

    def worker_class(self):
        """What gunicorn says it runs ("sync", "gthread"…), from its log."""
        match = re.search(r"Using worker: (\S+)", self.log())
        return match[1] if match else "?"

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines=30):
        return "\n".join(self.log().splitlines()[-lines:])

    def stop(self):
        """TERM to the master (it stops its workers), KILL to its process group if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
