#!/usr/bin/env python3
"""Dyno boot overhead: `ps:restart` until the replacement dyno is `up`, minus the app's bare listen time.

Setup (untimed): a private slipwayd, one app, `slipway deploy examples/node-hello`, wait until the router
serves it. Then N times, interleaved so both see the same machine load:

  bare     spawn `node examples/node-hello/server.js` with PORT set; time until the port accepts TCP
           (connect polled every --poll-ms).
  restart  note the current dyno ids; `DELETE /apps/APP/dynos` (the API behind `slipway ps:restart`);
           poll `GET /apps/APP/dynos` every --poll-ms over one keep-alive connection until a dyno with a
           new id is in state `up`. Then wait (untimed) until the old dyno is gone before the next round.

overhead = restart->up minus bare listen: reported as difference of medians and as the median of the
per-round differences. It includes everything slipwayd does for a restart (API, reconcile, overlay
mount, cgroups, bwrap, its own accept probe and its back-off) but not the old dyno's stop (Slipway starts
the replacement first). Polling adds up to one poll interval plus one API round trip to every restart
sample and up to one poll interval to every bare sample.

By default runs twice: --isolation sandbox, then --isolation none (a plain-process baseline), each with
its own slipwayd started and stopped in turn.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402

TARGET_MS = 30.0


class Poller:
    """GET /apps/APP/dynos over one keep-alive connection (cheaper and steadier than a connect per poll)."""

    def __init__(self, d: sb.Slipwayd, app: str):
        self.d, self.path = d, f"/apps/{app}/dynos"
        self.headers = {"Authorization": f"Bearer {d.token}", "Accept": "application/vnd.heroku+json; version=3"}
        self.conn = http.client.HTTPConnection("127.0.0.1", d.api_port, timeout=5)

    def get(self) -> list[dict]:
        for attempt in (1, 2):
            try:
                self.conn.request("GET", self.path, headers=self.headers)
                resp = self.conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"GET {self.path} -> {resp.status}: {body[:200]!r}")
                return json.loads(body)
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.d.api_port, timeout=5)
                if attempt == 2:
                    raise
        return []

    def close(self) -> None:
        self.conn.close()


def restart_once(d: sb.Slipwayd, app: str, poller: Poller, poll: float, timeout: float) -> tuple[float, float]:
    """(seconds from the DELETE until a new dyno is up, seconds until the DELETE answered 202)."""
    before = {x["id"] for x in poller.get()}
    start = sb.now()
    status, body = d.api("DELETE", f"/apps/{app}/dynos")
    accepted = sb.now() - start
    if status != 202:
        raise RuntimeError(f"DELETE /apps/{app}/dynos -> {status}: {body}")
    deadline = start + timeout
    while sb.now() < deadline:
        if any(x["id"] not in before and x["state"] == "up" for x in poller.get()):
            return sb.now() - start, accepted
        time.sleep(poll)
    raise TimeoutError(f"no new up dyno within {timeout}s\n{d.log_tail()}")


def settle(poller: Poller, timeout: float = 40.0) -> None:
    """Wait (untimed) until only the one, up, web dyno is listed: the replaced dyno has stopped."""
    deadline = sb.now() + timeout
    while sb.now() < deadline:
        dynos = poller.get()
        if len(dynos) == 1 and dynos[0]["state"] == "up":
            return
        time.sleep(0.02)
    raise TimeoutError("the replaced dyno did not go away")


def run_mode(args: argparse.Namespace, isolation: str, dll: str) -> dict:
    n = max(1, min(args.n, 200))
    poll = args.poll_ms / 1000.0
    d = sb.Slipwayd(dll, isolation, *sb.server_ports(args))
    restarts, accepted, bare = [], [], []
    try:
        d.start()
        print(f"## isolation={isolation}: slipwayd pid {d.proc.pid}, api :{d.api_port} router :{d.router_port}")
        app = sb.unique_app("bboot")
        d.cli("apps:create", app)
        d.cli("deploy", sb.EXAMPLE, "-a", app)
        d.wait_web_up(app)
        poller = Poller(d, app)
        try:
            settle(poller)
            # Warm-up (not counted): JIT of the restart path, page cache of the slug and node.
            for _ in range(2):
                sb.node_bare("accept", poll)
                restart_once(d, app, poller, poll, args.timeout)
                settle(poller)
            for i in range(n):
                bare.append(sb.node_bare("accept", poll))
                r, a = restart_once(d, app, poller, poll, args.timeout)
                restarts.append(r)
                accepted.append(a)
                settle(poller)
            status, body = d.router_get(app)
            if status != 200 or not body.startswith(sb.HELLO_PREFIX):
                raise RuntimeError(f"router answered {status} after the restarts")
        finally:
            poller.close()
    finally:
        d.stop()

    r_ms = [sb.ms(x) for x in restarts]
    b_ms = [sb.ms(x) for x in bare]
    diff = [r - b for r, b in zip(r_ms, b_ms)]
    rs, bs, ds = sb.summary(r_ms), sb.summary(b_ms), sb.summary(diff)
    print(f"restart -> new dyno up       : {sb.fmt(r_ms)}")
    print(f"  of which DELETE -> 202     : {sb.fmt([sb.ms(x) for x in accepted])}")
    print(f"bare node -> port accepts    : {sb.fmt(b_ms)}")
    print(f"per-round (restart - bare)   : {sb.fmt(diff)}")
    print(f"overhead (median - median)   : {rs['median'] - bs['median']:.1f} ms;  p90 - p90: {rs['p90'] - bs['p90']:.1f} ms")
    print(f"ratio restart/bare (medians) : {rs['median'] / bs['median']:.2f}x")
    print()
    return {"isolation": isolation, "restart": rs, "bare": bs, "diff": ds, "overhead_median": rs["median"] - bs["median"]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=20, help="timed restarts per mode (default 20)")
    p.add_argument("--poll-ms", type=float, default=2.0, help="poll interval (default 2)")
    p.add_argument("--timeout", type=float, default=60.0, help="per-restart limit in seconds")
    p.add_argument("--modes", default="sandbox,none", help="isolation modes to run, in order (default sandbox,none)")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    report = sb.Report("boot")
    dll = args.dll or sb.default_dll()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    print(f"# boot benchmark  {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"# machine: {sb.machine()}")
    print(f"# slipwayd: {dll}  n={args.n}  poll={args.poll_ms:g} ms  load avg at start: {sb.loadavg()}")
    sb.subprocess.run([*sb.CLI_CMD, "--help"], capture_output=True, check=True, timeout=600)  # build the CLI untimed

    results = []
    for mode in modes:
        try:
            results.append(run_mode(args, mode, dll))
        except Exception as e:  # noqa: BLE001 - report the mode as not measured and go on with the others
            print(f"## isolation={mode}: NOT MEASURED: {str(e).splitlines()[0]}")
            print("\n".join("   " + l for l in str(e).splitlines()[1:12]))
            print()

    print("summary (ms)                  restart-up med/p90   bare med/p90   overhead med (med-med / paired)")
    for r in results:
        print(f"  isolation={r['isolation']:<8}          {r['restart']['median']:7.1f} /{r['restart']['p90']:7.1f}"
              f"   {r['bare']['median']:6.1f} /{r['bare']['p90']:6.1f}   {r['overhead_median']:6.1f} / {r['diff']['median']:6.1f}")
    by = {r["isolation"]: r for r in results}
    if "sandbox" in by and "none" in by:
        print(f"  sandbox cost over plain processes (restart-up medians): "
              f"{by['sandbox']['restart']['median'] - by['none']['restart']['median']:.1f} ms")
    if "sandbox" in by:
        o = by["sandbox"]["overhead_median"]
        print(f"target overhead < {TARGET_MS:g} ms median (sandbox): {o:.1f} ms -> {'MET' if o < TARGET_MS else 'NOT MET'}")
    for r in results:
        report.add(f"Dyno restart → up, overhead over bare listen ({r['isolation']}, n={args.n})",
                   f"{r['overhead_median']:.1f} ms (restart {r['restart']['median']:.0f} ms)", f"bare listen {r['bare']['median']:.0f} ms",
                   sb.ratio(r["restart"]["median"], r["bare"]["median"]), f"< {TARGET_MS:g} ms" if r["isolation"] == "sandbox" else "baseline",
                   sb.difference_verdict(r["overhead_median"], TARGET_MS) if r["isolation"] == "sandbox" else "—")
    report.write(args.json)
    print(f"# load avg at end: {sb.loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
