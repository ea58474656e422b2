#!/usr/bin/env python3
"""Dyno density and start cost: N dynos started at once, slipwayd's memory with them, and what each start costs.

Setup (untimed): a private slipwayd; one app deployed from a Procfile-only source whose `worker` type runs
`sleep 86400` (a process that costs nothing to start, so what is timed is the platform: reconcile, slug
overlay mount, cgroups, bwrap, log capture); a warm-up scale to 40 and back (1 with --quick), so the start path is compiled as
in a long-running slipwayd; slipwayd's RSS read once it is settled.

Measured:
  start    PATCH /apps/APP/formation worker=N, then GET /apps/APP/dynos every 20 ms until N dynos are `up`.
           per start = time until all N are up / N; baseline: spawning N bare `sleep` processes one after
           another (per start = total / N). Target: under 25 ms per start.
           Also printed: the CPU time per start of slipwayd and of the processes below it (slipway-dyno-start, bwrap, bash,
           the command), a figure the machine's other load does not inflate as much.
  memory   slipwayd's VmRSS with N dynos up (target: under 300 MB at 200 dynos) and the processes below it.
  stop     scale to 0: every dyno process must be gone afterwards, or the run fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402

FILES = {"Procfile": "worker: sleep 86400\n"}
TARGET_MS = 25.0
WARMUP = 40
TARGET_RSS_MB = 300.0


def scale(d: sb.Slipwayd, app: str, quantity: int) -> None:
    status, body = d.api("PATCH", f"/apps/{app}/formation", {"updates": [{"type": "worker", "quantity": quantity}]})
    if status != 200:
        raise RuntimeError(f"PATCH formation worker={quantity} -> {status}: {body}")


def wait_dynos(d: sb.Slipwayd, app: str, done, timeout: float) -> float:
    started = sb.now()
    while sb.now() - started < timeout:
        dynos = d.dynos(app)
        if done(dynos):
            return sb.now() - started
        time.sleep(0.02)
    raise TimeoutError(f"dynos of {app} did not settle within {timeout}s: {len(d.dynos(app))} listed\n{d.log_tail()}")


def cpu_ms(pids: list[int]) -> float:
    """CPU time (user + system, with reaped children) the processes have used so far, in ms; gone pids count 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime, in clock ticks
    return total * 1000.0 / os.sysconf("SC_CLK_TCK")


def bare_spawns(n: int) -> float:
    """Seconds to start n `sleep` processes one after another (then stopped, untimed)."""
    started = sb.now()
    procs = [subprocess.Popen(["sleep", "86400"]) for _ in range(n)]
    elapsed = sb.now() - started
    for proc in procs:
        proc.kill()
        proc.wait()
    return elapsed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=200, help="dynos started at once (default 200; --quick 50)")
    p.add_argument("--timeout", type=float, default=300, help="limit for all dynos to be up or gone (s)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    n = 50 if args.quick else args.n
    report = sb.Report("density")
    print(f"# density benchmark; n={n}; machine: {sb.machine()}; load: {sb.loadavg()}")

    d = sb.Slipwayd(args.dll or sb.default_dll(), "sandbox", *sb.server_ports(args))
    try:
        d.start()
        app = sb.unique_app("density")
        d.deploy_source(app, FILES)
        # Warm-up, untimed: a long-running slipwayd has its start path compiled at full optimisation; a fresh one
        # compiles it again (tier 1) after about 30 calls, which would land inside the timed burst.
        warmup = WARMUP if n > WARMUP else 1  # --quick's 50 would spend as long warming up as measuring
        scale(d, app, warmup)
        wait_dynos(d, app, lambda ds: sum(x["state"] == "up" for x in ds) >= warmup, 120)
        scale(d, app, 0)
        wait_dynos(d, app, lambda ds: not ds, 120)
        while d.descendants():
            time.sleep(0.2)
        time.sleep(2)  # let the GC and the JIT settle before the baseline reading
        rss_idle = d.rss_mb()

        cpu_before = cpu_ms([d.proc.pid])
        scale(d, app, n)
        all_up = wait_dynos(d, app, lambda ds: sum(x["state"] == "up" for x in ds) >= n, args.timeout)
        rss_full = d.rss_mb()
        time.sleep(2)  # the last sandboxes finish setting up after their dynos are listed up
        below = d.descendants()
        processes = len(below)
        # CPU time is what the starts cost whatever else loads the machine (the wall figure is not).
        cpu_platform, cpu_dynos = (cpu_ms([d.proc.pid]) - cpu_before) / n, cpu_ms(below) / n
        print(f"  {n} dynos up after {all_up:.2f} s; slipwayd RSS {rss_idle:.0f} -> {rss_full:.0f} MB; {processes} processes below it")
        print(f"  CPU per start: slipwayd {cpu_platform:.1f} ms (API polls included), sandbox chain and command {cpu_dynos:.1f} ms")

        scale(d, app, 0)
        wait_dynos(d, app, lambda ds: not ds, args.timeout)
        # The API stops listing a dyno once its SIGTERM is sent; its processes may take a moment more to end.
        deadline = sb.now() + args.timeout
        while d.descendants() and sb.now() < deadline:
            time.sleep(0.2)
        left = d.descendants()
        if left:
            raise RuntimeError(f"{len(left)} processes left below slipwayd {args.timeout:g} s after scaling to 0: {left[:10]}")
        time.sleep(1)  # the last retirements unmount and delete after their processes end
    finally:
        d.stop()

    bare = bare_spawns(n)
    per_start, per_bare = sb.ms(all_up) / n, sb.ms(bare) / n
    report.add(f"Dyno start, {n} worker dynos at once (ms per start)", f"{per_start:.1f} ms ({all_up:.1f} s for all)",
               f"bare process spawn {per_bare:.2f} ms", sb.ratio(per_start, per_bare), f"< {TARGET_MS:g} ms",
               sb.verdict(per_start < TARGET_MS))
    report.add(f"slipwayd RSS with {n} dynos up", f"{rss_full:.0f} MB ({processes} processes below it)",
               f"{rss_idle:.0f} MB with none", sb.ratio(rss_full, rss_idle), f"< {TARGET_RSS_MB:g} MB",
               sb.verdict(rss_full < TARGET_RSS_MB))
    for row in report.rows:
        print(" | ".join(row.values()))
    report.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
