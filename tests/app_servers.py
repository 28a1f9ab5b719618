"""The site in processes of its own, for the tests that need real servers (two app servers on one
database, the backup round trip): gunicorn with the repository's config file, production
settings (cqctp.settings.servers: production.py spoken to in plain HTTP), and `manage.py` commands
run with the same environment. Their output goes to files in the test's folder."""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

REPOSITORY = Path(settings.BASE_DIR)
GUNICORN_CONFIG = REPOSITORY / "site" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
# The test process's own key, for every process: sessions made by the test (force_login) and by
# each server are read by all of them.
SECRET_KEY = settings.SECRET_KEY
# What the test process's own environment must not leak into the servers'.
NOT_INHERITED = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_DIR",
    "MEDIA_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PYTEST_CURRENT_TEST",
)


def needs_postgresql():
    if connection.vendor != "postgresql":
        import pytest

        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")


def database_url(name=None):
    """The address of this test run's PostgreSQL database (or of `name` on the same server)."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{name or db['NAME']}"
    )


def environment(**values):
    """A production-like environment for a server or a command; `values` complete it
    (DATABASE_URL, MEDIA_ROOT, REDIS_URL or CACHE_DIR, …)."""
    base = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "cqctp.settings.servers",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": "https://formations.test",
        "PROXY_COUNT": "0",
        "LOG_LEVEL": "WARNING",
        **{name: str(value) for name, value in values.items()},
    }


class AppServer:
    """One gunicorn server (WEB_CONCURRENCY workers) on 127.0.0.1:`port`."""

    def __init__(self, port, env, log_dir, workers=2):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **env,
            "BIND": f"127.0.0.1:{port}",
            "PORT": str(port),
            "WEB_CONCURRENCY": str(workers),
        }
        self.workers = workers
        self.log = Path(log_dir) / f"gunicorn-{port}.log"
        self.process = None

    def command(self):
        if GUNICORN_CONFIG.exists():  # the documented production command (helper E's config)
            return [str(GUNICORN), "-c", str(GUNICORN_CONFIG), "cqctp.wsgi"]
        return [
            str(GUNICORN),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "cqctp.wsgi",
        ]

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=REPOSITORY,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_until_ready(self, timeout=45):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} stopped:\n{self.log.read_text()}")
            try:
                # Answered once a worker has loaded the site (seconds on a busy machine).
                requests.get(self.url + "/", timeout=timeout, allow_redirects=False)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.port} did not answer:\n{self.log.read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def manage(*args, env, timeout=120):
    """`manage.py …` in a process of its own, with the servers' environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_manage(*args, env, log):
    """`manage.py …` started in the background (stdout and stderr to `log`)."""
    with open(log, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPOSITORY,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
