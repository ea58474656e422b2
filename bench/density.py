#!/usr/bin/env python3
"""Dyno density and start cost: N dynos started at once, slipwayd's memory with them, and what each start costs.

Setup (untimed): a private slipwayd; one app deployed from a Procfile-only source whose `worker` type runs
`sleep 86400` (a process that costs nothing to start, so what is timed is the platform: reconcile, slug
overlay mount, cgroups, bwrap, log capture); a warm-up burst of N and back (1 with --quick), so the start path is compiled as
in a long-running slipwayd; slipwayd's RSS read once it is settled.

Measured, in each of --bursts bursts (default 3; --quick 1); the figure is the median burst's:
  start    PATCH /apps/APP/formation worker=N, then GET /apps/APP/dynos every 20 ms until N dynos are `up`.
           per start = time until all N are up / N; baseline: spawning N bare `sleep` processes one after
           another (per start = total / N), after each burst. Target: median under 25 ms per start.
           Also printed: the CPU time per start of slipwayd and of the processes below it (slipway-dyno-start, bwrap, bash,
           the command), a figure the machine's other load does not inflate as much.
  memory   slipwayd's VmRSS with N dynos up, the highest of the bursts (target: under 300 MB at 200 dynos), and the
           processes below it.
  stop     scale to 0: every dyno process must be gone afterwards, or the run fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402

FILES = {"Procfile": "worker: sleep 86400\n"}
PROCESSES_PER_DYNO = 3  # bwrap (which was slipway-dyno-start), its pid namespace's init, `sleep`
TARGET_MS = 25.0
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


@dataclass
class Burst:
    all_up: float  # seconds until all N were listed up
    per_start: float  # ms
    per_bare: float  # ms per bare spawn, measured right after
    rss_mb: float
    processes: int


def burst(d: sb.Slipwayd, app: str, n: int, timeout: float) -> Burst:
    """Scales to n, times it, reads memory and CPU, scales back to 0 and checks nothing is left; then the bare baseline."""
    cpu_before = cpu_ms([d.proc.pid])
    scale(d, app, n)
    all_up = wait_dynos(d, app, lambda ds: sum(x["state"] == "up" for x in ds) >= n, timeout)
    rss_full = d.rss_mb()
    # A worker dyno is listed up once its sandbox is spawned; under load the last ones are still inside bwrap's set-up
    # then. Wait until every dyno has its three processes (bwrap, the namespace init, the command), so that the CPU read
    # below includes every start.
    below = d.descendants()
    settling = sb.now()
    while len(below) < PROCESSES_PER_DYNO * n and sb.now() - settling < timeout:
        time.sleep(0.1)
        below = d.descendants()
    # CPU time is what the starts cost whatever else loads the machine (the wall figure is not).
    cpu_platform, cpu_dynos = (cpu_ms([d.proc.pid]) - cpu_before) / n, cpu_ms(below) / n
    print(f"  {n} dynos up after {all_up:.2f} s ({sb.ms(all_up) / n:.1f} ms per start); slipwayd RSS {rss_full:.0f} MB; "
          f"{len(below)} processes below it")
    print(f"  CPU per start: slipwayd {cpu_platform:.1f} ms (API polls included), sandbox chain and command {cpu_dynos:.1f} ms")

    stopping = sb.now()
    scale(d, app, 0)
    wait_dynos(d, app, lambda ds: not ds, timeout)
    # The API stops listing a dyno once its SIGTERM is sent; its processes may take a moment more to end.
    deadline = sb.now() + timeout
    while d.descendants() and sb.now() < deadline:
        time.sleep(0.2)
    left = d.descendants()
    if left:
        raise RuntimeError(f"{len(left)} processes left below slipwayd {timeout:g} s after scaling to 0: {left[:10]}")
    print(f"  all {n} stopped and gone after {sb.now() - stopping:.1f} s")
    time.sleep(1)  # the last retirements unmount and delete after their processes end
    return Burst(all_up, sb.ms(all_up) / n, sb.ms(bare_spawns(n)) / n, rss_full, len(below))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=200, help="dynos started at once (default 200; --quick 50)")
    p.add_argument("--timeout", type=float, default=300, help="limit for all dynos to be up or gone (s)")
    p.add_argument("--bursts", type=int, default=None, help="bursts of N starts; the median is reported (default 3; --quick 1)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    n = 50 if args.quick else args.n
    if args.bursts is None:
        args.bursts = 1 if args.quick else 3
    if args.bursts < 1:
        p.error("--bursts must be at least 1")
    report = sb.Report("density")
    print(f"# density benchmark; n={n}; machine: {sb.machine()}; load: {sb.loadavg()}")

    d = sb.Slipwayd(args.dll or sb.default_dll(), "sandbox", *sb.server_ports(args))
    try:
        d.start()
        app = sb.unique_app("density")
        d.deploy_source(app, FILES)
        # Warm-up, untimed: a long-running slipwayd has its start path compiled at full optimisation. A fresh one tiers
        # each method up only after two rounds of 30 calls, counted once the JIT has been quiet for 100 ms: a 40-dyno
        # warm-up left most of it to recompile inside the timed burst (start6's JIT log: 1,379 compiles in one burst).
        warmup = 1 if args.quick else n  # --quick's 50 would spend as long warming up as measuring
        scale(d, app, warmup)
        wait_dynos(d, app, lambda ds: sum(x["state"] == "up" for x in ds) >= warmup, 120)
        scale(d, app, 0)
        wait_dynos(d, app, lambda ds: not ds, 120)
        while d.descendants():
            time.sleep(0.2)
        time.sleep(2)  # let the GC and the JIT settle before the baseline reading
        rss_idle = d.rss_mb()

        bursts = [burst(d, app, n, args.timeout) for _ in range(args.bursts)]
    finally:
        d.stop()

    by_wall = sorted(bursts, key=lambda b: b.per_start)
    median = by_wall[len(by_wall) // 2]
    rss_full = max(b.rss_mb for b in bursts)
    walls = ", ".join(f"{b.per_start:.1f}" for b in bursts)
    spread = f"median of {len(bursts)}: {walls} ms; " if len(bursts) > 1 else ""
    report.add(f"Dyno start, {n} worker dynos at once (ms per start)",
               f"{median.per_start:.1f} ms ({spread}{median.all_up:.1f} s for all)",
               f"bare process spawn {median.per_bare:.2f} ms", sb.ratio(median.per_start, median.per_bare),
               f"< {TARGET_MS:g} ms", sb.verdict(median.per_start < TARGET_MS))
    report.add(f"slipwayd RSS with {n} dynos up", f"{rss_full:.0f} MB ({median.processes} processes below it)",
               f"{rss_idle:.0f} MB with none", sb.ratio(rss_full, rss_idle), f"< {TARGET_RSS_MB:g} MB",
               sb.verdict(rss_full < TARGET_RSS_MB))
    for row in report.rows:
        print(" | ".join(row.values()))
    report.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
