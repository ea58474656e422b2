#!/usr/bin/env python3
"""Two or three slipwayd builds side by side, paired: GET 4 KiB at concurrency 16 signed anew and on a repeated URL.

`storage_ab.py --before DLL --after DLL [--also DLL]`: each slipwayd (`--isolation none`) gets its own key, bucket and
4 KiB object; nginx serves the same bytes. After an untimed warm-up, each round runs, for every slipwayd in an order
reversed every round, nginx then that slipwayd for `--seconds`: first over 20,000 presigned URLs each signed once
(bench/storage.py's signed-anew case: the whole SigV4 verification per request), then on one repeated URL (answered
from the verified-URL cache). CPU per request is slipwayd's user + system time from /proc over wrk's request count;
ratios are to the nginx run just before. The shared bench lock is taken per round. Medians printed as a markdown table.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402
from baselines import Nginx, wrk  # noqa: E402
from storage import UNCACHED_URLS, Signer, request, rotate_script  # noqa: E402

LOCK = "/tmp/slipway-bench.lock"
THREADS, CONNECTIONS = 2, 16
CASES = ("signed anew", "repeated URL")


class Target:
    """One slipwayd with a bucket holding the 4 KiB object, and the URLs to fetch it by."""

    def __init__(self, name: str, dll: str, offset: int):
        self.name = name
        self.d = sb.Slipwayd(dll, "none", 5410 + offset, 8490 + offset, 9410 + offset, "24500-24999", 400000)
        self.batch = 0

    def start(self, data: bytes) -> None:
        d = self.d
        d.start()
        status, key = d.api("POST", "/storage/keys", {"bucket": None, "read_only": False})
        if status != 201:
            raise RuntimeError(f"{self.name}: POST /storage/keys -> {status}: {key}")
        self.signer = Signer(d.storage_port, key["access_key_id"], key["secret_access_key"])  # type: ignore[index]
        bucket = sb.unique_app("ab")
        self.path = f"/{bucket}/obj-4096"
        for method, path, body in (("PUT", f"/{bucket}", None), ("PUT", self.path, data)):
            status, answer = request(d.storage_port, method, self.signer.presign(method, path), body)
            if status != 200:
                raise RuntimeError(f"{self.name}: {method} {path} -> {status}: {answer[:300]!r}")
        self.url = f"http://127.0.0.1:{d.storage_port}"
        self.host = {"Host": f"127.0.0.1:{d.storage_port}"}
        self.repeated = self.signer.presign("GET", self.path)

    def signed_anew(self) -> str:
        """wrk Lua rotating over URLs never sent before (each batch's expiries differ, so do their signatures)."""
        self.batch += 1
        first = self.batch * UNCACHED_URLS
        return rotate_script("GET", [self.signer.presign("GET", self.path, expires=1000 + (first + i) % 599_000)
                                     for i in range(UNCACHED_URLS)], THREADS)

    def measure(self, case: str, seconds: float, lua: str) -> tuple[float, float]:
        before = sb.cpu_seconds([self.d.proc.pid])
        if case == "signed anew":
            r = wrk(self.url + "/", THREADS, CONNECTIONS, seconds, self.host, lua, timeout_s=30)
        else:
            r = wrk(self.url + self.repeated, THREADS, CONNECTIONS, seconds, self.host, timeout_s=30)
        used = sb.cpu_seconds([self.d.proc.pid]) - before
        r.check(f"{self.name} {case}", 4096, 4096 + 1024, CONNECTIONS)
        return r.rps, used / r.requests * 1e6


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--before", required=True)
    p.add_argument("--after", required=True)
    p.add_argument("--also", help="a third build, e.g. an intermediate commit")
    p.add_argument("--seconds", type=float, default=4)
    p.add_argument("--rounds", type=int, default=4)
    args = p.parse_args()
    print(f"# storage A/B; machine: {sb.machine()}; load: {sb.loadavg()}", flush=True)
    data = os.urandom(4096)
    work = tempfile.mkdtemp(prefix="slipway-bench-storage-ab-")
    os.chmod(work, 0o755)  # nginx's workers run unprivileged
    os.makedirs(os.path.join(work, "files"))
    with open(os.path.join(work, "files", "obj-4096"), "wb") as f:
        f.write(data)
    os.chmod(f.name, 0o644)
    builds = [("before", args.before), ("after", args.after)] + ([("also", args.also)] if args.also else [])
    targets = [Target(name, dll, i) for i, (name, dll) in enumerate(builds)]
    nginx = Nginx(f"location /files/ {{ root {work}; }}")
    nginx_url = f"http://127.0.0.1:{nginx.port}/files/obj-4096"
    runs: dict[tuple, list] = {}
    try:
        nginx.start()
        for t in targets:
            t.start(data)
        with open(LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for t in targets:  # untimed: JIT and tiering of both paths
                for _ in range(2):
                    for case in CASES:
                        t.measure(case, 3, t.signed_anew() if case == "signed anew" else "")
            wrk(nginx_url, THREADS, CONNECTIONS, 2)
        for rnd in range(args.rounds):
            order = targets if rnd % 2 == 0 else targets[::-1]
            with open(LOCK, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                print(f"round {rnd + 1}, load {sb.loadavg()}", flush=True)
                for case in CASES:
                    for t in order:
                        lua = t.signed_anew() if case == "signed anew" else ""  # before nginx runs: not timed
                        nginx_rps = wrk(nginx_url, THREADS, CONNECTIONS, args.seconds).rps
                        rps, cpu = t.measure(case, args.seconds, lua)
                        runs.setdefault((t.name, case), []).append((rps, rps / nginx_rps, cpu))
                        print(f"  {t.name:<7} {case:<12} {rps:8.0f}/s  nginx {nginx_rps:8.0f}/s  {rps / nginx_rps:5.2f}×"
                              f"  CPU {cpu:5.1f} µs/req", flush=True)
    finally:
        for t in targets:
            t.d.stop()
        nginx.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"# medians over {args.rounds} rounds; load at end: {sb.loadavg()}")
    print("| build | case | objects/s | ÷ nginx (each round) | CPU µs/req |")
    print("|---|---|---|---|---|")
    for case in CASES:
        for t in targets:
            xs = runs[(t.name, case)]
            ratios = ", ".join(f"{x[1]:.2f}" for x in xs)
            print(f"| {t.name} | {case} | {statistics.median(x[0] for x in xs):,.0f} | "
                  f"{statistics.median(x[1] for x in xs):.2f}× ({ratios}) | {statistics.median(x[2] for x in xs):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
