#!/usr/bin/env python3
"""What a proxy built on Kestrel can cost at best here: bench/RouterCeiling's modes against nginx, paired, no slipwayd.

Targets, all proxying one bare node dyno (bench/router.py's 64-byte server) on this machine's shared cores:
  hello  Kestrel on the router's transport answering the same 64 bytes itself (no upstream): the server side's floor
  yarp   Kestrel + YARP IHttpForwarder + the router's SocketsHttpHandler (bench/router.py's ceiling)
  raw    Kestrel + a minimal HTTP/1.1 leg on pooled sockets (bench/RouterCeiling/Raw)
  nginx  bench/router.py's reverse-proxy config (2 workers, keep-alive pool of 64)
  direct the dyno itself (c4 only: the p99 baseline)
Per round, each case (keep-alive, -t2 -c64 and -t1 -c4) runs every target once, in an order reversed every round, so
all see the same load; CPU per request is user + system time from /proc over wrk's request count. Medians are printed.
The shared bench lock (/tmp/slipway-bench.lock) is taken per round, so no hold is longer than a round.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402
import router  # noqa: E402

LOCK = "/tmp/slipway-bench.lock"


class BareDyno:
    """The benchmark's node server, bare (no sandbox): all targets forward to this one process."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="slipway-floors-")
        with open(os.path.join(self.dir, "server.js"), "w") as f:
            f.write(router.SERVER_JS)
        self.port = sb.free_port()
        self.proc = subprocess.Popen(["node", "server.js"], cwd=self.dir, env=dict(os.environ, PORT=str(self.port)),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> "BareDyno":
        deadline = sb.now() + 10
        while not sb.accepts(self.port):
            if sb.now() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the node dyno did not listen")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--modes", default="hello,yarp,raw", help="RouterCeiling modes to run")
    p.add_argument("--env", action="append", default=[], help="MODE:NAME=VALUE, an extra environment variable for one mode's process")
    args = p.parse_args()
    print(f"# router floors; machine: {sb.machine()}; load: {sb.loadavg()}", flush=True)
    dll = router.ceiling_dll()
    modes = args.modes.split(",")
    with BareDyno() as dyno, router.nginx_proxy(dyno.port) as nginx:
        ceilings = {}
        try:
            for label in modes:
                mode = label.split("+")[0]
                extra = dict(e.split(":", 1)[1].split("=", 1) for e in args.env if e.split(":", 1)[0] == label)
                saved = {k: os.environ.get(k) for k in extra}
                os.environ.update(extra)
                try:
                    ceilings[label] = router.Ceiling(dll, dyno.port, mode).__enter__()
                finally:
                    for k, v in saved.items():
                        if v is None:
                            os.environ.pop(k)
                        else:
                            os.environ[k] = v
            targets = {label: (f"http://127.0.0.1:{c.port}/", [c.proc.pid]) for label, c in ceilings.items()}
            targets["nginx"] = (f"http://127.0.0.1:{nginx.port}/", None)
            targets["direct"] = (f"http://127.0.0.1:{dyno.port}/", [])
            host = "fast.localhost"
            cases = {"c64": (2, 64), "c4": (1, 4)}
            runs: dict[tuple, list] = {}
            with open(LOCK, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                for name, (url, _) in targets.items():  # untimed: JIT and tiering, pools
                    router.measure(url, host, 2, 64, 5 if name in ceilings else 1, False, f"{name} warm-up")
                fcntl.flock(lock, fcntl.LOCK_UN)
            for rnd in range(args.rounds):
                order = list(targets.items())
                if rnd % 2:
                    order.reverse()
                with open(LOCK, "w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    print(f"round {rnd + 1}, load {sb.loadavg()}", flush=True)
                    for case, (threads, conns) in cases.items():
                        for name, (url, pids) in order:
                            if case == "c64" and name == "direct":
                                continue
                            if name == "nginx":  # its workers are looked up now: right after its start they may not all exist yet
                                pids = router.process_tree(nginx.proc.pid)
                            before = sb.cpu_seconds(pids) if pids else 0.0
                            r = router.measure(url, host, threads, conns, args.seconds, False, f"{name} {case}")
                            cpu = ((sb.cpu_seconds(pids) - before) / r.requests * 1e6) if pids else 0.0
                            runs.setdefault((name, case), []).append((r.rps, cpu, r.p50_ms, r.p99_ms))
                            print(f"  {name:<12} {case:<4} {r.rps:9.0f} req/s  CPU {cpu:5.0f} µs/req  p50 {r.p50_ms:6.2f}  p99 {r.p99_ms:6.2f} ms", flush=True)
                    fcntl.flock(lock, fcntl.LOCK_UN)
        finally:
            for c in ceilings.values():
                c.__exit__(None, None, None)
    print(f"# medians over {args.rounds} rounds; load at end: {sb.loadavg()}")
    print("| target | case | req/s | ÷ nginx | CPU µs/req | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for case in ("c64", "c4"):
        nginx_rps = statistics.median(x[0] for x in runs[("nginx", case)])
        for name in targets:
            if (name, case) not in runs:
                continue
            xs = runs[(name, case)]
            med = [statistics.median(x[i] for x in xs) for i in range(4)]
            print(f"| {name} | {case} | {med[0]:,.0f} | {med[0] / nginx_rps:.2f}× | {med[1]:.0f} | {med[2]:.2f} | {med[3]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
