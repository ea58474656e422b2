#!/usr/bin/env python3
"""Router throughput and latency: wrk through Slipway's router vs through nginx vs straight to the dyno.

Also through the ceiling (bench/RouterCeiling): bare Kestrel + YARP's IHttpForwarder with the router's connection pool
and nothing else, so the gap between it and nginx is the stack's and the gap between it and the router is ours.

Setup (untimed): a private slipwayd; one app deployed from a generated Node.js `http` server that answers every
request with the same 64-byte body (and its $PORT on /port, so nginx and wrk can reach the dyno directly); nginx
on a free port as a reverse proxy to that same dyno (HTTP/1.1 keep-alive pool, as the router keeps one).

Measured, per round (targets interleaved so they see the same machine load), with wrk --latency:
  throughput  -t2 -c64 for --seconds: req/s through the router and through nginx.   Target: router >= 1.0x nginx.
  latency     -t1 -c4 (moderate load): p50/p99 through the router, nginx, and direct.
              Target: router p99 minus direct p99 under 1 ms.
Each both with keep-alive and with `Connection: close` (a new TCP connection per request).
Every wrk run must have no socket or status errors and 64 body bytes (plus headers) per response, or it fails.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402
from baselines import Nginx, WrkResult, wrk  # noqa: E402

BODY = "Hello from Slipway! fast dyno ".ljust(63, ".") + "\n"
SERVER_JS = r"""
"use strict";
const http = require("http");
const body = Buffer.from(%s);
const port = String(process.env.PORT);
http.createServer((req, res) => {
  if (req.url === "/port") { res.writeHead(200, { "Content-Type": "text/plain" }); res.end(port); return; }
  res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": body.length });
  res.end(body);
}).listen(Number(port));
process.on("SIGTERM", () => process.exit(0));
""" % repr(BODY)
FILES = {"server.js": SERVER_JS, "Procfile": "web: node server.js\n",
         "package.json": '{"name": "fast", "version": "1.0.0", "private": true}\n'}
MAX_HEADERS = 600  # a response is the body plus at most this many header bytes


def nginx_proxy(dyno_port: int) -> Nginx:
    return Nginx(
        http_block=f"upstream dyno {{ server 127.0.0.1:{dyno_port}; keepalive 64; }}",
        server_block="""
    location / {
      proxy_pass http://dyno;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Request-Id $request_id;
    }""")


CEILING_DLL = os.path.join(sb.ARTIFACTS, "bin", "RouterCeiling", "release", "RouterCeiling.dll")


class Ceiling:
    """bench/RouterCeiling on a free loopback port in one of its modes (yarp, raw, hello); stopped by its pid."""

    def __init__(self, dll: str, dyno_port: int, mode: str = "yarp"):
        self.port = sb.free_port()
        # The same socket setting slipwayd's Program.cs makes, so only the code between them differs.
        env = dict(os.environ, DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="1", DOTNET_NOLOGO="1")
        self.proc = subprocess.Popen(["dotnet", dll, str(self.port), str(dyno_port), mode], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> "Ceiling":
        deadline = sb.now() + 30
        while sb.now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"RouterCeiling exited with {self.proc.returncode}: {self.proc.stderr.read().decode()}")
            if sb.accepts(self.port):
                return self
            time.sleep(0.05)
        raise TimeoutError("RouterCeiling did not listen in time")

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def ceiling_dll() -> str:
    if not os.path.isfile(CEILING_DLL):
        subprocess.run(["dotnet", "build", os.path.join(sb.ROOT, "bench", "RouterCeiling"), "-c", "Release",
                        "--artifacts-path", sb.ARTIFACTS, "-nologo", "-v", "quiet"], check=True)
    return CEILING_DLL


def process_tree(pid: int) -> list[int]:
    """The process and its children (nginx's workers)."""
    pids = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            pids += [int(c) for c in f.read().split()]
    return pids


def deploy_fast_app(d: sb.Slipwayd) -> tuple[str, int]:
    """Deploys the fast dyno as a new app: its name and the dyno's $PORT (for nginx and direct runs)."""
    app = sb.unique_app("fast")
    d.deploy_source(app, FILES)
    status, port = d.router_get(app, "/port", timeout=30)
    if status != 200:
        raise RuntimeError(f"router answered {status} for /port")
    return app, int(port)


def measure(url: str, host: str | None, threads: int, conns: int, seconds: float, close: bool, what: str) -> WrkResult:
    headers = {"Host": host} if host else {}
    if close:
        headers["Connection"] = "close"
    result = wrk(url, threads, conns, seconds, headers)
    result.check(what, len(BODY), len(BODY) + MAX_HEADERS, conns)
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10, help="seconds per wrk run (default 10; --quick 3)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds, medians reported (default 3; --quick 1)")
    p.add_argument("--warmup", type=float, default=None,
                   help="seconds of untimed load on the .NET proxies first (default 20; --quick 10): after 5 s the router's "
                        "CPU per request is still twice its steady state (docs/performance.md section 5, router5)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    if args.quick:
        args.seconds, args.rounds = 3, 1
    if args.warmup is None:
        args.warmup = 10 if args.quick else 20
    report = sb.Report("router")
    print(f"# router benchmark; machine: {sb.machine()}; load: {sb.loadavg()}")

    d = sb.Slipwayd(args.dll or sb.default_dll(), "sandbox", *sb.server_ports(args))
    try:
        d.start()
        app, dyno_port = deploy_fast_app(d)
        host = f"{app}.localhost"
        with nginx_proxy(dyno_port) as nginx, Ceiling(ceiling_dll(), dyno_port) as ceiling:
            targets = {"router": (f"http://127.0.0.1:{d.router_port}/", host),
                       "nginx": (f"http://127.0.0.1:{nginx.port}/", host),
                       "ceiling": (f"http://127.0.0.1:{ceiling.port}/", host),
                       "direct": (f"http://127.0.0.1:{dyno_port}/", None)}
            processes = {"router": [d.proc.pid], "nginx": process_tree(nginx.proc.pid), "ceiling": [ceiling.proc.pid], "direct": []}
            cases = {"throughput": (2, 64), "latency": (1, 4)}
            for name, (url, h) in targets.items():  # untimed: JIT and tiering (the .NET proxies), connection pools
                measure(url, h, 2, 64, args.warmup if name in ("router", "ceiling") else 1, False, f"{name} warm-up")
            runs: dict[tuple, list[WrkResult]] = {}
            cpu_us: dict[tuple, list[float]] = {}
            for rnd in range(args.rounds):
                for close in (False, True):
                    for case, (threads, conns) in cases.items():
                        for name, (url, h) in targets.items():
                            if case == "throughput" and name == "direct":
                                continue
                            what = f"{name} {case} {'close' if close else 'keep-alive'} round {rnd + 1}"
                            cpu_before = sb.cpu_seconds(processes[name])
                            r = measure(url, h, threads, conns, args.seconds, close, what)
                            cpu = (sb.cpu_seconds(processes[name]) - cpu_before) / r.requests * 1e6
                            runs.setdefault((name, case, close), []).append(r)
                            cpu_us.setdefault((name, case, close), []).append(cpu)
                            print(f"  {what:<45} {r.rps:9.0f} req/s  p50 {r.p50_ms:6.2f} ms  p99 {r.p99_ms:6.2f} ms  CPU {cpu:4.0f} µs/req")
        dyno_alive, _ = d.router_get(app, timeout=10)
        if dyno_alive != 200:
            raise RuntimeError(f"router answered {dyno_alive} after the runs")
    finally:
        d.stop()

    def med(name: str, case: str, close: bool, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs[(name, case, close)])

    for close in (False, True):
        mode = "new connection per request" if close else "keep-alive"
        router_rps, nginx_rps = med("router", "throughput", close, "rps"), med("nginx", "throughput", close, "rps")
        report.add(f"Router throughput, {mode}, 64 connections (req/s)", f"{router_rps:,.0f}",
                   f"nginx {nginx_rps:,.0f}; bare YARP {med('ceiling', 'throughput', close, 'rps'):,.0f}",
                   sb.ratio(router_rps, nginx_rps), "≥ 1.0× nginx", sb.verdict(router_rps >= nginx_rps))
        cpu = {name: statistics.median(cpu_us[(name, "throughput", close)]) for name in ("router", "nginx", "ceiling")}
        report.add(f"Router CPU per request, {mode}, 64 connections (µs)", f"{cpu['router']:.0f}",
                   f"nginx {cpu['nginx']:.0f}; bare YARP {cpu['ceiling']:.0f}", sb.ratio(cpu["router"], cpu["nginx"]),
                   "track", "—")
        direct = med("direct", "latency", close, "p99_ms")
        added = med("router", "latency", close, "p99_ms") - direct
        nginx_added = med("nginx", "latency", close, "p99_ms") - direct
        ceiling_added = med("ceiling", "latency", close, "p99_ms") - direct
        report.add(f"Router added p99 vs direct, {mode}, 4 connections",
                   f"{added:+.2f} ms (p50 {med('router', 'latency', close, 'p50_ms'):.2f}, p99 {med('router', 'latency', close, 'p99_ms'):.2f})",
                   f"nginx {nginx_added:+.2f} ms; bare YARP {ceiling_added:+.2f} ms; direct p99 {direct:.2f}",
                   sb.ratio(med("router", "latency", close, "p99_ms"), direct), "< +1 ms", sb.difference_verdict(added, 1.0))
    for row in report.rows:
        print(" | ".join(row.values()))
    report.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
