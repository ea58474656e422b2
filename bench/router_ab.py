#!/usr/bin/env python3
"""Two slipwayd builds side by side, paired: the same rounds, the same kind of fast dyno, wrk alternating between them.

`router_ab.py --before DLL --after DLL`: each slipwayd gets its own app (bench/router.py's 64-byte node server); nginx
proxies the first one's dyno as the yardstick. Per round, each case (keep-alive -t2 -c64 and -t1 -c4) runs every target
once, in an order reversed every round; CPU per request is the process's user + system time from /proc over wrk's
request count. The shared bench lock is taken per round. Medians printed as a markdown table.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402
import router  # noqa: E402

LOCK = "/tmp/slipway-bench.lock"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--before", required=True)
    p.add_argument("--after", required=True)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=float, default=20, help="seconds of untimed load on each slipwayd first (default 20)")
    p.add_argument("--ports", default="5410,8490,9410,24500-24749,320000;5411,8491,9411,24750-24999,320500",
                   help="api,router,storage,dyno-ports,uid-base for before;after")
    args = p.parse_args()
    print(f"# router A/B; machine: {sb.machine()}; load: {sb.loadavg()}", flush=True)
    ports = [s.split(",") for s in args.ports.split(";")]
    servers = {name: sb.Slipwayd(dll, "sandbox", int(pp[0]), int(pp[1]), int(pp[2]), pp[3], int(pp[4]))
               for name, dll, pp in (("before", args.before, ports[0]), ("after", args.after, ports[1]))}
    try:
        targets, dyno_port = {}, None
        for name, d in servers.items():
            d.start()
            app = sb.unique_app("fast")
            d.deploy_source(app, router.FILES)
            status, port = d.router_get(app, "/port", timeout=30)
            if status != 200:
                raise RuntimeError(f"{name}: router answered {status}")
            dyno_port = dyno_port or int(port)
            targets[name] = (f"http://127.0.0.1:{d.router_port}/", f"{app}.localhost", [d.proc.pid])
        with router.nginx_proxy(dyno_port) as nginx:
            targets["nginx"] = (f"http://127.0.0.1:{nginx.port}/", "fast.localhost", None)
            cases = {"c64": (2, 64), "c4": (1, 4)}
            runs: dict[tuple, list] = {}
            with open(LOCK, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                for name, (url, host, _) in targets.items():  # untimed: JIT and tiering, pools
                    router.measure(url, host, 2, 64, args.warmup if name != "nginx" else 1, False, f"{name} warm-up")
            for rnd in range(args.rounds):
                order = list(targets.items())
                if rnd % 2:
                    order.reverse()
                with open(LOCK, "w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    print(f"round {rnd + 1}, load {sb.loadavg()}", flush=True)
                    for case, (threads, conns) in cases.items():
                        for name, (url, host, pids) in order:
                            # nginx's workers are looked up now: right after its start they may not all exist yet.
                            pids = pids or router.process_tree(nginx.proc.pid)
                            before = sb.cpu_seconds(pids)
                            r = router.measure(url, host, threads, conns, args.seconds, False, f"{name} {case}")
                            cpu = (sb.cpu_seconds(pids) - before) / r.requests * 1e6
                            runs.setdefault((name, case), []).append((r.rps, cpu, r.p50_ms, r.p99_ms))
                            print(f"  {name:<8} {case:<4} {r.rps:9.0f} req/s  CPU {cpu:5.0f} µs/req  p50 {r.p50_ms:6.2f}  p99 {r.p99_ms:6.2f} ms", flush=True)
    finally:
        for d in servers.values():
            d.stop()
    print(f"# medians over {args.rounds} rounds; load at end: {sb.loadavg()}")
    print("| target | case | req/s | ÷ nginx | CPU µs/req | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for case in ("c64", "c4"):
        nginx_rps = statistics.median(x[0] for x in runs[("nginx", case)])
        for name in targets:
            xs = runs[(name, case)]
            med = [statistics.median(x[i] for x in xs) for i in range(4)]
            print(f"| {name} | {case} | {med[0]:,.0f} | {med[0] / nginx_rps:.2f}× | {med[1]:.0f} | {med[2]:.2f} | {med[3]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
