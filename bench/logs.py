#!/usr/bin/env python3
"""Log throughput: lines/s from one dyno into the persistent history and into a live tail (`logs --tail`).

Setup (untimed): a private slipwayd with SLIPWAY_LOG_HISTORY_LINES set above N (so every line must reach the
history), one app deployed from a generated Node.js source whose web dyno, on GET /flood?n=N, writes N lines
(`flood <run> <i> <padding>`, ~90 bytes each) to stdout as fast as the pipe takes them, honouring backpressure.

Measured:
  tail     a tail session (POST /apps/APP/log-sessions {"tail": true, "lines": 0, "dyno": "web.1"}) read as SSE,
           opened before the flood; rate = N / (time of the last flood line at the client - time of the request).
           Lost lines = N - received; gaps in the SSE ids and L11 events are reported.
  history  after the flood, a session with {"lines": N} must return all N flood lines in order with consecutive ids;
           rate = N / (time the history first holds line N-1 - time of the request), polled every 20 ms with a
           {"lines": 1} session (each read waits for the background writer to flush, so it sees what is stored).
Target: 50,000 lines/s for both, no line lost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402

TARGET = 50_000

SERVER_JS = r"""
"use strict";
const http = require("http");
const pad = "x".repeat(80);
function flood(n, run, done) {
  let i = 0;
  function write() {
    while (i < n) {
      let chunk = "";
      const end = Math.min(n, i + 500);
      for (; i < end; i++) chunk += `flood ${run} ${i} ${pad}\n`;
      if (!process.stdout.write(chunk)) { process.stdout.once("drain", write); return; }
    }
    done();
  }
  write();
}
http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/flood") {
    const n = Number(url.searchParams.get("n") || "1000");
    const run = url.searchParams.get("run") || "0";
    flood(n, run, () => { res.writeHead(200); res.end(`flooded ${n}\n`); });
    return;
  }
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("Hello from Slipway! flood app\n");
}).listen(Number(process.env.PORT || 5000), () => console.log("listening"));
process.on("SIGTERM", () => process.exit(0));
"""


def make_source() -> str:
    directory = tempfile.mkdtemp(prefix="slipway-bench-flood-")
    with open(os.path.join(directory, "server.js"), "w") as f:
        f.write(SERVER_JS)
    with open(os.path.join(directory, "package.json"), "w") as f:
        json.dump({"name": "flood", "version": "1.0.0", "private": True, "main": "server.js"}, f)
    with open(os.path.join(directory, "Procfile"), "w") as f:
        f.write("web: node server.js\n")
    return directory


def session_url(d: sb.Slipwayd, app: str, body: dict) -> str:
    status, session = d.api("POST", f"/apps/{app}/log-sessions", body)
    if status != 201:
        raise RuntimeError(f"log-sessions -> {status}: {session}")
    return session["logplex_url"]  # type: ignore[index]


def open_stream(url: str, timeout: float) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=timeout)
    conn.request("GET", parts.path + "?" + parts.query, headers={"Accept": "text/event-stream", "User-Agent": "heroku-run"})
    resp = conn.getresponse()
    if resp.status != 200 or not resp.getheader("Content-Type", "").startswith("text/event-stream"):
        raise RuntimeError(f"logplex_url -> {resp.status} {resp.getheader('Content-Type')}")
    return conn, resp


def read_blocks(resp: http.client.HTTPResponse):
    """Yields the stream in big blocks of whole events (ending at a blank line) until it ends."""
    pending = b""
    while True:
        chunk = resp.read1(1 << 16)
        if not chunk:
            return
        pending += chunk
        end = pending.rfind(b"\n\n")
        if end >= 0:
            yield pending[:end + 2]
            pending = pending[end + 2:]


def read_events(resp: http.client.HTTPResponse, on_event) -> None:
    """Calls on_event(id, data) per event until the stream ends or on_event returns True."""
    for block in read_blocks(resp):
        for event in block.split(b"\n\n")[:-1]:
            event_id, data = None, None
            for field in event.split(b"\n"):
                if field.startswith(b"id: "):
                    event_id = int(field[4:])
                elif field.startswith(b"data: "):
                    data = field[6:].decode("utf-8", "replace")
            if data is not None and on_event(event_id, data):
                return


class Tail(threading.Thread):
    """Counts one run's flood lines as they arrive. It parses whole blocks with a regex: a per-event Python parser costs
    more CPU per line than slipwayd does, and on 2 shared cores that, not slipwayd, would set the figure."""

    def __init__(self, url: str, n: int, run: int, timeout: float):
        super().__init__(daemon=True)
        self.flood = re.compile(rb"id: (\d+)\ndata: [^\n]*?\]: flood " + str(run).encode() + rb" (\d+) ")
        self.conn, self.resp = open_stream(url, timeout)
        self.n = n
        self.received = 0
        self.gaps = 0
        self.l11: list[bytes] = []
        self.last_at: float | None = None
        self.error: Exception | None = None
        self._last_id: int | None = None

    def run(self) -> None:
        try:
            for block in read_blocks(self.resp):
                if b"Error L11" in block:
                    self.l11 += re.findall(rb"data: [^\n]*Error L11[^\n]*", block)
                found = self.flood.findall(block)
                if not found:
                    continue
                ids = [int(event_id) for event_id, _ in found]
                previous = self._last_id if self._last_id is not None else ids[0] - 1
                if ids[-1] - previous != len(ids):  # ids only grow, so this is exact when none is missing
                    self.gaps += sum(1 for a, b in zip([previous] + ids, ids) if b != a + 1)
                self._last_id = ids[-1]
                self.received += len(ids)
                self.last_at = sb.now()
                if int(found[-1][1]) == self.n - 1:
                    return
        except Exception as e:  # noqa: BLE001 - reported, not fatal
            self.error = e
        finally:
            self.conn.close()


def last_flood_index(d: sb.Slipwayd, app: str, run: int) -> int:
    marker = f"]: flood {run} "
    url = session_url(d, app, {"lines": 1, "tail": False, "dyno": "web.1", "source": "app"})
    conn, resp = open_stream(url, 10)
    found = [-1]

    def on_event(_id, data):
        if marker in data:
            found[0] = int(data.split(marker, 1)[1].split(" ", 1)[0])
        return False
    try:
        read_events(resp, on_event)
    finally:
        conn.close()
    return found[0]


def verify_history(d: sb.Slipwayd, app: str, n: int, run: int) -> tuple[int, int, bool]:
    marker = f"]: flood {run} "
    """(flood lines stored, id gaps, in order)."""
    url = session_url(d, app, {"lines": n, "tail": False, "dyno": "web.1", "source": "app"})
    conn, resp = open_stream(url, 120)
    state = {"count": 0, "gaps": 0, "ordered": True, "last_id": None, "next": 0}

    def on_event(event_id, data):
        if marker not in data:
            return False
        index = int(data.split(marker, 1)[1].split(" ", 1)[0])
        if state["last_id"] is not None and event_id != state["last_id"] + 1:
            state["gaps"] += 1
        if index != state["next"]:
            state["ordered"] = False
        state["last_id"], state["next"] = event_id, index + 1
        state["count"] += 1
        return False
    try:
        read_events(resp, on_event)
    finally:
        conn.close()
    return state["count"], state["gaps"], state["ordered"]


def run_once(d: sb.Slipwayd, app: str, n: int, run: int, timeout: float) -> dict:
    tail = Tail(session_url(d, app, {"lines": 0, "tail": True, "dyno": "web.1", "source": "app"}), n, run, timeout)
    tail.start()
    time.sleep(0.2)  # let the tail subscribe before the first line (untimed)
    started = sb.now()
    flood = threading.Thread(target=lambda: sb.http_get(d.router_port, f"/flood?n={n}&run={run}", host=f"{app}.localhost", timeout=timeout), daemon=True)
    flood.start()

    history_at = None
    deadline = started + timeout
    while sb.now() < deadline:
        if last_flood_index(d, app, run) == n - 1:
            history_at = sb.now()
            break
        time.sleep(0.02)
    tail.join(max(0.0, deadline - sb.now()))
    flood.join(5)
    stored, history_gaps, ordered = verify_history(d, app, n, run)
    return {
        "tail_rate": n / (tail.last_at - started) if tail.last_at and tail.received == n else None,
        "tail_received": tail.received, "tail_gaps": tail.gaps, "tail_l11": len(tail.l11), "tail_error": tail.error,
        "history_rate": n / (history_at - started) if history_at else None,
        "history_stored": stored, "history_gaps": history_gaps, "history_ordered": ordered,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200_000, help="lines per flood (default 200000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--isolation", default="sandbox")
    parser.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(parser)
    args = parser.parse_args()
    report = sb.Report("logs")

    os.environ["SLIPWAY_LOG_HISTORY_LINES"] = str(args.n + 10_000)  # every flood line must fit in the history
    os.environ["SLIPWAY_LOG_TAIL_BUFFER_LINES"] = "10000"
    print(f"machine: {sb.machine()}  load: {sb.loadavg()}")
    source = make_source()
    d = sb.Slipwayd(args.dll or sb.default_dll(), args.isolation, *sb.server_ports(args))
    try:
        d.start()
        app = sb.unique_app("flood")
        d.cli("apps:create", app)
        d.cli("deploy", source, "-a", app)
        d.wait_web_up(app)
        results = [run_once(d, app, args.n, run, args.timeout) for run in range(1, args.runs + 1)]
    finally:
        d.stop()
        shutil.rmtree(source, ignore_errors=True)

    for i, r in enumerate(results, 1):
        tail = f"{r['tail_rate']:,.0f} lines/s" if r["tail_rate"] else "incomplete"
        hist = f"{r['history_rate']:,.0f} lines/s" if r["history_rate"] else "incomplete"
        print(f"run {i}: tail {tail} (received {r['tail_received']:,}/{args.n:,}, id gaps {r['tail_gaps']}, L11 {r['tail_l11']}"
              f"{', error ' + str(r['tail_error']) if r['tail_error'] else ''}); history {hist} (stored {r['history_stored']:,}/{args.n:,}, "
              f"id gaps {r['history_gaps']}, in order {r['history_ordered']})")
    tail_rates = [r["tail_rate"] for r in results if r["tail_rate"]]
    hist_rates = [r["history_rate"] for r in results if r["history_rate"]]
    lossless = all(r["tail_received"] == args.n and r["history_stored"] == args.n and r["history_ordered"] for r in results)
    if tail_rates and hist_rates:
        tail_median, hist_median = sorted(tail_rates)[len(tail_rates) // 2], sorted(hist_rates)[len(hist_rates) // 2]
        print(f"median: tail {tail_median:,.0f} lines/s ({tail_median / TARGET:.2f}x target), "
              f"history {hist_median:,.0f} lines/s ({hist_median / TARGET:.2f}x target); lossless: {lossless}")
    print(f"load at end: {sb.loadavg()}")
    complete = {"live tail": all(r["tail_received"] == args.n for r in results),
                "history": all(r["history_stored"] == args.n and r["history_ordered"] for r in results)}
    for what, rates in (("live tail", tail_rates), ("history", hist_rates)):
        rate = sorted(rates)[len(rates) // 2] if len(rates) == args.runs else None
        if what == "live tail":
            lost = "; ".join("{:,} of {:,} received, {} L11".format(r["tail_received"], args.n, r["tail_l11"]) for r in results)
        else:
            lost = "; ".join("{:,} of {:,} stored".format(r["history_stored"], args.n) for r in results)
        report.add(f"Logs from one dyno into the {what} ({args.n:,} lines, median of {args.runs})",
                   f"{rate:,.0f} lines/s" if rate else f"incomplete ({lost})", "—", f"{rate / TARGET:.2f}× target" if rate else "—",
                   f"≥ {TARGET:,} lines/s, none lost", sb.verdict(bool(rate) and rate >= TARGET and complete[what]))
    report.write(args.json)
    return 0 if lossless else 1


if __name__ == "__main__":
    sys.exit(main())
