"""`make bench` keeps working: a quick run end to end (gunicorn, wrk or the Python generator,
the in-process table, the enrolment burst) on the test database, and the load generator of
bench/load.py against a real server. No timing is asserted: the bench reports, the test checks
that every figure is there and that the burst's outcome is exact."""

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from bench import load as bench_load

REPOSITORY = Path(__file__).resolve().parent.parent
SUMMARY_FIGURES = [
    "home page, cached (HTTP)",
    "campaign/standard page, cached (HTTP)",
    "catalogue, cached (HTTP)",
    "training page, cached (HTTP)",
    "training page, uncached (HTTP)",
    "catalogue, uncached (HTTP)",
    "catalogue, nothing kept (HTTP)",
    "catalogue searched + 2 filters at 5,000 (in process)",
    "organisation directory at 5,000 (in process)",
    "40 enrolments at once, 8 seats",
    "queries, home page uncached (item 2)",
    "queries, catalogue uncached (item 2)",
    "queries, training page uncached (item 2)",
]
HTTP_PAGES = ["static", "home", "campaign", "catalogue", "training"]


def database_url(settings_dict):
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_quick_bench_prints_every_figure_and_an_exact_burst():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (as .ci/run does)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cqctp.settings.bench",
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    env.pop("PAGE_CACHE_SECONDS", None)
    connection.close()  # the bench's processes are the only ones working on the database
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--trainings", "20", "--duration", "1"],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = completed.stdout
    print(output)  # shown when the test fails, or with pytest -s
    assert completed.returncode == 0, completed.stderr[-3000:]

    http_part = output.split("== 1. HTTP under gunicorn ==")[1].split("Static rate:")[0]
    rows = [line.split() for line in http_part.splitlines()]
    runs = [row for row in rows if row and row[0] in HTTP_PAGES]
    assert [(run[0], run[1]) for run in runs] == [
        ("static", "cached"),
        ("home", "cached"),
        ("home", "uncached"),
        ("campaign", "cached"),
        ("campaign", "uncached"),
        ("catalogue", "cached"),
        ("catalogue", "uncached"),
        ("catalogue", "nothing-kept"),
        ("training", "cached"),
        ("training", "uncached"),
        ("static", "uncached"),
    ]
    for run in runs:
        requests_per_second = float(run[3])  # a number, not "—" (a run that failed)
        assert requests_per_second > 0, run
        assert run[10] == "200", run  # the status of the page checked before the run

    assert "exact: yes" in output.split("== 3. The enrolment burst ==")[1]

    summary = output.split("== Summary")[1].splitlines()
    for figure in SUMMARY_FIGURES:
        line = next((line for line in summary if line.startswith(figure)), None)
        assert line is not None, figure
        measured = line[len(figure) :].split()[0]
        assert measured != "—", f"not measured: {line}"


class Answers(http.server.BaseHTTPRequestHandler):
    """200 with a body on /, 404 elsewhere, keep-alive (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"hello" * 100 if self.path == "/" else b"nothing here"
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_python_load_generator_counts_answers_and_errors(local_server):
    generator = bench_load.PythonGenerator()
    found = generator.run(f"{local_server}/", connections=2, duration=0.3, headers={})
    assert found.requests > 0
    assert found.errors == 0
    assert 0 < found.p50_ms <= found.p99_ms
    missing = generator.run(f"{local_server}/missing", connections=2, duration=0.3, headers={})
    assert missing.requests > 0
    assert missing.errors == missing.requests  # every 404 is an error


WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8019/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.61ms    6.31ms  49.24ms   72.41%
    Req/Sec   276.50     41.71   350.00     70.00%
  Latency Distribution
     50%   13.53ms
     75%   17.12ms
     90%   22.03ms
     99%    1.02s
  553 requests in 1.00s, 12.91MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    551.48
Transfer/sec:     12.87MB
"""


def test_wrk_report_is_read_with_its_units():
    found = bench_load.parse_wrk(WRK_OUTPUT)
    assert found.requests == 553
    assert found.seconds == 1.0
    assert found.p50_ms == 13.53
    assert found.p99_ms == pytest.approx(1020)
    assert found.errors == 7
    assert found.rate == 553.0
