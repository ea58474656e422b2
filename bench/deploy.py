#!/usr/bin/env python3
"""Deploy latency: `slipway deploy examples/node-hello -a APP` until the router serves the new release.

For each of N deploys a fresh app is created (untimed), then the clock starts, the CLI is spawned, and the
router is polled every --poll-ms (from the moment the CLI is spawned, concurrently with it) for
`GET http://APP.localhost:<router>/`. A fresh app has no release before the deploy, so the first 200 whose
body is node-hello's greeting can only come from the new release. Also reported: when the CLI itself
returned, and how much of the total came after it returned (release + dyno boot + routing).

Baseline (same run): `node server.js` of the same example started bare with PORT set, polled the same way
until it answers 200 — what running the app costs without any platform. Also the CLI's own start-up
(`slipway --help`), a floor under any deploy the CLI drives.

One untimed warm-up deploy runs first (JIT, first slug cache, first build directory) and is printed as
"cold" for information.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402

TARGET_S = 3.0


def timed_deploy(d: sb.Slipwayd, app: str, poll: float, timeout: float) -> tuple[float, float, list[tuple[float, str]]]:
    """(seconds to first 200 from the new release, seconds until the CLI exited, timestamped CLI output lines)."""
    lines: list[tuple[float, str]] = []
    start = sb.now()
    proc = subprocess.Popen([*sb.CLI_CMD, "deploy", sb.EXAMPLE, "-a", app], env=d.cli_env, cwd=sb.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def read() -> None:
        for raw in proc.stdout:  # type: ignore[union-attr]
            lines.append((sb.now() - start, raw.decode(errors="replace").rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    cli_done = None
    served = None
    deadline = start + timeout
    try:
        while sb.now() < deadline:
            if cli_done is None and proc.poll() is not None:
                cli_done = sb.now() - start
                if proc.returncode != 0:
                    reader.join(5)
                    raise RuntimeError(f"deploy of {app} failed ({proc.returncode}):\n" + "\n".join(l for _, l in lines))
            if served is None:
                status, body = d.router_get(app, timeout=1.0)
                if status == 200 and body.startswith(sb.HELLO_PREFIX):
                    served = sb.now() - start
            if served is not None and cli_done is not None:
                reader.join(5)
                return served, cli_done, lines
            time.sleep(poll)
        raise TimeoutError(f"deploy of {app}: no 200 from the router within {timeout}s\n{d.log_tail()}")
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=5, help="timed deploys (default 5)")
    p.add_argument("--poll-ms", type=float, default=10.0, help="router poll interval (default 10)")
    p.add_argument("--timeout", type=float, default=120.0, help="per-deploy limit in seconds")
    p.add_argument("--isolation", default="sandbox", choices=["sandbox", "none"])
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    report = sb.Report("deploy")
    n = max(1, min(args.n, 50))
    poll = args.poll_ms / 1000.0
    dll = args.dll or sb.default_dll()

    print(f"# deploy benchmark  {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"# machine: {sb.machine()}")
    print(f"# slipwayd: {dll}  isolation={args.isolation}  n={n}  poll={args.poll_ms:g} ms  load avg at start: {sb.loadavg()}")

    # The CLI builds itself on first use; do that before anything is timed.
    subprocess.run([*sb.CLI_CMD, "--help"], capture_output=True, check=True, timeout=600)
    cli_start = []
    for _ in range(n):
        t0 = sb.now()
        subprocess.run([*sb.CLI_CMD, "--help"], capture_output=True, check=True, timeout=60)
        cli_start.append(sb.now() - t0)

    bare = [sb.node_bare("http", poll) for _ in range(n)]

    d = sb.Slipwayd(dll, args.isolation, *sb.server_ports(args))
    try:
        d.start()
        print(f"# slipwayd pid {d.proc.pid}: api :{d.api_port} router :{d.router_port} storage :{d.storage_port}")

        warm = sb.unique_app("bdeploy")
        d.cli("apps:create", warm)
        cold_served, cold_cli, _ = timed_deploy(d, warm, poll, args.timeout)

        served, cli, timelines = [], [], []
        for i in range(n):
            app = sb.unique_app("bdeploy")
            d.cli("apps:create", app)
            s, c, lines = timed_deploy(d, app, poll, args.timeout)
            served.append(s)
            cli.append(c)
            timelines.append((s, c, lines))
            print(f"  deploy {i + 1}/{n} {app}: first 200 after {sb.ms(s):7.0f} ms (CLI returned at {sb.ms(c):7.0f} ms)")
    finally:
        d.stop()

    after = [s - c for s, c in zip(served, cli)]
    med = sb.summary([sb.ms(x) for x in served])
    base = sb.summary([sb.ms(x) for x in bare])
    print()
    print(f"cold deploy (warm-up, not counted): first 200 {sb.ms(cold_served):.0f} ms, CLI {sb.ms(cold_cli):.0f} ms")
    print(f"deploy -> first 200 (new release) : {sb.fmt([sb.ms(x) for x in served])}")
    print(f"deploy CLI returned               : {sb.fmt([sb.ms(x) for x in cli])}")
    print(f"first 200 minus CLI return        : {sb.fmt([sb.ms(x) for x in after])}")
    print(f"baseline: bare node -> first 200  : {sb.fmt([sb.ms(x) for x in bare])}")
    print(f"baseline: slipway --help          : {sb.fmt([sb.ms(x) for x in cli_start])}")
    print()
    print(f"ratio deploy/bare node (medians)  : {med['median'] / base['median']:.1f}x")
    print(f"ratio deploy/bare node (max)      : {med['max'] / base['max']:.1f}x")
    ok = med["median"] < TARGET_S * 1000 and med["max"] < TARGET_S * 1000
    print(f"target < {TARGET_S:g} s: median {med['median'] / 1000:.2f} s, max {med['max'] / 1000:.2f} s -> {'MET' if ok else 'NOT MET'}")
    report.add(f"Deploy node-hello (tarball) → first 200, median of {n}", f"{med['median'] / 1000:.2f} s (max {med['max'] / 1000:.2f})",
               f"bare node → 200 {base['median']:.0f} ms", sb.ratio(med["median"], base["median"]), f"< {TARGET_S:g} s", sb.verdict(ok))
    report.write(args.json)
    # Where the time goes: the CLI's output lines, timestamped on arrival, for the median deploy.
    s, c, lines = sorted(timelines, key=lambda t: t[0])[len(timelines) // 2]
    print()
    print("timeline of the median deploy (ms since the CLI was spawned; CLI output lines as they arrived):")
    events = [(t, "  " + text) for t, text in lines if text.strip()]
    events += [(s, "* router: first 200 from the new release"), (c, "* CLI exited")]
    for t, text in sorted(events, key=lambda e: e[0]):
        print(f"  {sb.ms(t):7.0f}  {text[:110]}")
    print(f"# load avg at end: {sb.loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
