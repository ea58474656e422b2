"""The load generator (wrk) and the baseline server (nginx) that the router and storage benchmarks share.

nginx runs as our own process (`daemon off`, config and temp paths in a throwaway directory) and is stopped
by its pid. wrk reports through a Lua `done` hook, which gives exact request and byte counts, error counts and
latency percentiles in microseconds instead of the rounded human summary.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import slipbench as sb

WRK_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"bytes":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


class WrkResult:
    def __init__(self, raw: dict):
        self.requests = raw["requests"]
        self.bytes = raw["bytes"]
        self.seconds = raw["duration_us"] / 1e6
        self.errors = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")}
        self.p50_ms = raw["p50_us"] / 1000.0
        self.p99_ms = raw["p99_us"] / 1000.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.bytes / self.seconds / 1e6

    def check(self, what: str, min_bytes_per_response: int, max_bytes_per_response: int | None = None,
              connections: int = 1) -> None:
        """Raises unless every response arrived whole: no errors, and bytes per response within bounds. wrk also
        counts the bytes of responses still arriving when time is up: at most one per connection."""
        errors = {k: v for k, v in self.errors.items() if v}
        if self.requests == 0 or errors:
            raise RuntimeError(f"{what}: {self.requests} requests, errors {errors}; the figure would not be valid")
        per = self.bytes / self.requests
        in_flight = 0 if max_bytes_per_response is None else connections * max_bytes_per_response / self.requests
        if per < min_bytes_per_response or (max_bytes_per_response is not None and per > max_bytes_per_response + in_flight):
            raise RuntimeError(f"{what}: {per:.0f} bytes per response, expected "
                               f"{min_bytes_per_response}..{max_bytes_per_response}; responses are not what was asked for")


def wrk(url: str, threads: int, connections: int, seconds: float, headers: dict | None = None,
        lua: str = "", timeout_s: int = 10) -> WrkResult:
    """One wrk run; `lua` is prepended to the `done` hook (e.g. a `request` function for PUTs)."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="slipway-bench-", delete=False)
    try:
        script.write(lua + WRK_DONE)
        script.close()
        args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                "--timeout", f"{timeout_s}s", "--latency", "-s", script.name]
        for name, value in (headers or {}).items():
            args += ["-H", f"{name}: {value}"]
        done = subprocess.run(args + [url], capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    for line in done.stdout.splitlines():
        if line.startswith("WRKJSON "):
            return WrkResult(json.loads(line[len("WRKJSON "):]))
    raise RuntimeError(f"wrk gave no result ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")


class Nginx:
    """nginx on a free loopback port with a generated config; `server_block` is the inside of `server { }`."""

    def __init__(self, server_block: str, http_block: str = ""):
        self.port = sb.free_port()
        self.prefix = tempfile.mkdtemp(prefix="slipway-bench-nginx-")
        os.chmod(self.prefix, 0o755)  # workers run as nginx's unprivileged user and must reach their temp paths
        self.conf = os.path.join(self.prefix, "nginx.conf")
        temp = os.path.join(self.prefix, "temp")
        os.makedirs(temp)
        with open(self.conf, "w") as f:
            f.write(f"""
worker_processes {os.cpu_count() or 1};
daemon off;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  default_type application/octet-stream;
  keepalive_requests 1000000;
  {http_block}
  server {{
    listen 127.0.0.1:{self.port} reuseport;
    {server_block}
  }}
}}
""")
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> "Nginx":
        self.proc = subprocess.Popen(["nginx", "-p", self.prefix, "-c", self.conf], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = sb.now() + timeout
        while sb.now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {self.proc.stderr.read().decode()}")
            if sb.accepts(self.port):
                return self
            time.sleep(0.02)
        raise TimeoutError("nginx did not listen in time")

    def stop(self) -> None:
        """SIGQUIT (graceful) to our master by pid; SIGKILL if it will not go."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
