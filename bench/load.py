"""HTTP load for the bench: `wrk` when installed, else a small asyncio generator in Python.

Both keep `connections` keep-alive connections busy for `duration` seconds against one URL and
give the same figures: requests per second, p50 and p99 latency, errors (failed connections,
reads, time-outs and answers with a status of 400 or more). wrk is preferred: written in C, it
takes far less of the CPU it shares with the server than Python does, so the Python figures are
a floor, bounded by the generator itself on a small machine.
"""

import asyncio
import math
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10


@dataclass
class Load:
    """What one load run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self):
        return self.requests / self.seconds if self.seconds else 0.0


def choose(preference="auto"):
    """wrk if installed (or asked), else the built-in Python generator. Each generator has
    `describe()` for the report and `run(url, connections=, duration=, headers=)` → Load."""
    wrk = shutil.which("wrk")
    if preference == "python" or (preference == "auto" and wrk is None):
        return PythonGenerator(reason="" if preference == "python" else "wrk not installed")
    if wrk is None:
        raise SystemExit("--load-generator wrk: wrk is not installed (apt-get install wrk).")
    return WrkGenerator(wrk)


# -- wrk -----------------------------------------------------------------------------------------


class WrkGenerator:
    name = "wrk"

    def __init__(self, executable):
        self.executable = executable

    def version(self):
        completed = subprocess.run(
            [self.executable, "--version"], capture_output=True, text=True, check=False
        )
        first_line = (completed.stdout or completed.stderr).splitlines()[:1]
        return first_line[0].split("Copyright")[0].strip() if first_line else "wrk"

    def describe(self):
        return f"{self.version()} (2 threads, --latency)"

    def run(self, url, *, connections, duration, headers):
        command = [
            self.executable,
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={max(1, round(duration))}s",
            f"--timeout={TIMEOUT_SECONDS}s",
            "--latency",
        ]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        completed = subprocess.run(
            [*command, url], capture_output=True, text=True, check=False, timeout=duration + 60
        )
        if completed.returncode != 0:
            raise RuntimeError(f"wrk failed: {completed.stderr.strip() or completed.stdout}")
        return parse_wrk(completed.stdout)


TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def wrk_time_ms(text):
    """'812.00us', '1.23ms', '2.01s' → milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * TIME_UNITS_MS[match[2]]


def parse_wrk(output):
    """The figures of `wrk --latency`'s report."""
    done = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", output, re.MULTILINE)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
    if not (done and p50 and p99):
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad_status:
        errors += int(bad_status[1])
    return Load(
        requests=int(done[1]),
        seconds=wrk_time_ms(done[2] + done[3]) / 1000,
        p50_ms=wrk_time_ms(p50[1]),
        p99_ms=wrk_time_ms(p99[1]),
        errors=errors,
    )


# -- built-in generator --------------------------------------------------------------------------


class PythonGenerator:
    name = "python"

    def __init__(self, reason=""):
        self.reason = reason

    def describe(self):
        why = f"; {self.reason}" if self.reason else ""
        return (
            "built-in Python asyncio generator, bench/load.py (its own CPU use bounds the "
            f"figures: wrk measures higher rates{why})"
        )

    def run(self, url, *, connections, duration, headers):
        return asyncio.run(load(url, connections=connections, duration=duration, headers=headers))


def percentile(ordered, fraction):
    """Nearest-rank percentile of an ordered list (0 for an empty one)."""
    if not ordered:
        return 0.0
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


async def load(url, *, connections, duration, headers):
    """Keep `connections` HTTP/1.1 keep-alive connections busy with GET `url` for `duration`
    seconds; a connection the server closes is opened again."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    latencies, errors = [], [0]
    began = time.perf_counter()
    deadline = began + duration
    await asyncio.gather(
        *(keep_busy(host, port, request, deadline, latencies, errors) for _ in range(connections))
    )
    elapsed = time.perf_counter() - began
    latencies.sort()
    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        errors=errors[0],
    )


async def keep_busy(host, port, request, deadline, latencies, errors):
    reader = writer = None
    try:
        while time.perf_counter() < deadline:
            if writer is None:
                try:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection(host, port), TIMEOUT_SECONDS
                    )
                except (OSError, TimeoutError):
                    errors[0] += 1
                    await asyncio.sleep(0.01)
                    continue
            started = time.perf_counter()
            try:
                writer.write(request)
                status, keep_alive = await asyncio.wait_for(read_response(reader), TIMEOUT_SECONDS)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                errors[0] += 1
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            if status >= 400:
                errors[0] += 1
            if not keep_alive:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def read_response(reader):
    """Read one response; (status, whether the connection stays open)."""
    status_line = await reader.readline()
    if not status_line:
        raise asyncio.IncompleteReadError(b"", None)
    version, status = status_line.split(b" ", 2)[:2]
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    connection = headers.get(b"connection", b"")
    keep_alive = connection != b"close" and (version == b"HTTP/1.1" or connection == b"keep-alive")
    if b"chunked" in headers.get(b"transfer-encoding", b""):
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                break
    elif b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    else:
        await reader.read()  # the body ends with the connection
        keep_alive = False
    return int(status), keep_alive
