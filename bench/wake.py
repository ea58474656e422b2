#!/usr/bin/env python3
"""Free-dyno wake (unidling) latency, and what 1,000 (or fewer) sleeping apps cost slipwayd.

One private slipwayd started with --idle-after-seconds 1 (free/eco apps sleep after 1 s without router traffic).

Part 1, wake, per app (examples/node-hello, examples/static-site), each deployed (untimed) to its own app scaled to
web=1:free. Then N rounds, after 2 warm-up rounds that are not counted, each round:

  bare  spawn the app's own web command outside Slipway with PORT set (node-hello: `node server.js`;
        static-site: `node .slipway/static-server.js`, the server the static buildpack ships, in a temporary copy of
        the site); time until the port accepts TCP (connect polled every --poll-ms).
  wake  poll GET /apps/APP/dynos (untimed, every 20 ms; the API is not router traffic) until web.1 is `idle`; then
        open a TCP connection to the router, send one `GET /` with Host: APP.localhost, and time from just before
        the connect until the first response byte arrives (TTFB). The response must be a 200.
  log   (untimed) read the app's recent heroku log lines (POST /apps/APP/log-sessions) and collect slipwayd's own
        `Unidling: ready in Xms (platform Yms, app Zms)` line for that wake.

platform share = TTFB - bare: median of the per-round differences, and difference of the medians.

Part 2, sleepers: one app deployed from node-hello; its slug is released to further apps with
POST /apps/{app}/releases {"slug": id} (slipwayd copies it, as Heroku copies slugs between an account's apps), each
made free at once (PATCH /apps/{app}/formation {"updates":[{"type":"web","quantity":1,"size":"free"}]}) so that it
falls asleep soon after its first boot; we wait until all are idle and report slipwayd's VmRSS (before / after) and the number of processes under slipwayd (dynos: should be 0).

Everything is on loopback; every wait has a deadline; the slipwayd is stopped by its pid and its directory removed.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402

TARGET_MS = 30.0
STATIC_EXAMPLE = os.path.join(sb.ROOT, "examples", "static-site")
STATIC_SERVER = os.path.join(sb.ROOT, "buildpacks", "static", "lib", "static-server.js")
UNIDLING = re.compile(r"Unidling: ready in (\d+)ms \(platform (-?\d+)ms, app (-?\d+)ms\)")


class WakeSlipwayd(sb.Slipwayd):
    """slipwayd with extra flags (--idle-after-seconds ...); otherwise the shared helper."""

    def __init__(self, *a, extra: list[str], **kw):
        super().__init__(*a, **kw)
        self.extra = extra

    def start(self, timeout: float = 90.0) -> "WakeSlipwayd":
        args = ["dotnet", self.dll, "--data-dir", self.data_dir,
                "--api-port", str(self.api_port), "--router-port", str(self.router_port),
                "--storage-port", str(self.storage_port), "--dyno-ports", self.dyno_ports,
                "--uid-base", str(self.uid_base), "--isolation", self.isolation, *self.extra]
        env = dict(os.environ, SLIPWAY_ADMIN_TOKEN=self.token, DOTNET_NOLOGO="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, env=env, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = sb.now() + timeout
        while sb.now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"slipwayd exited with {self.proc.returncode}\n" + self.log_tail())
            if sb.http_get(self.api_port, "/healthz")[0] == 200:
                return self
            time.sleep(0.05)
        raise TimeoutError("slipwayd not healthy in time\n" + self.log_tail())


# -- processes --------------------------------------------------------------------------------------------------------
def vm_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def descendants(root: int) -> list[tuple[int, str]]:
    """(pid, comm) of every process below root."""
    children: dict[int, list[int]] = {}
    comm: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        comm[int(entry)] = name
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append((c, comm[c]))
            todo.append(c)
    return out


# -- the two apps -----------------------------------------------------------------------------------------------------
class Subject:
    def __init__(self, label: str, source: str, marker: bytes):
        self.label, self.source, self.marker = label, source, marker
        self.app = ""
        self.bare_dir = ""
        self.bare_cmd: list[str] = []
        self.ttfb: list[float] = []
        self.bare: list[float] = []
        self.logged: list[tuple[int, int, int]] = []  # (total, platform, app) from the Unidling lines
        self.bare_rss_kb: list[int] = []
        self.seen_ids: set = set()


def make_subjects(tmp: str) -> list[Subject]:
    node = Subject("node-hello", sb.EXAMPLE, sb.HELLO_PREFIX)
    node.bare_dir, node.bare_cmd = sb.EXAMPLE, ["node", "server.js"]
    with open(os.path.join(STATIC_EXAMPLE, "index.html"), "rb") as f:
        head = f.read(64)
    static = Subject("static-site", STATIC_EXAMPLE, head)
    # The buildpack copies lib/static-server.js to .slipway/ in the app; it serves the directory above its own.
    static.bare_dir = os.path.join(tmp, "static-bare")
    shutil.copytree(STATIC_EXAMPLE, static.bare_dir)
    os.makedirs(os.path.join(static.bare_dir, ".slipway"))
    shutil.copy(STATIC_SERVER, os.path.join(static.bare_dir, ".slipway", "static-server.js"))
    static.bare_cmd = ["node", ".slipway/static-server.js"]
    return [node, static]


def bare_once(s: Subject, poll: float, timeout: float = 20.0) -> float:
    port = sb.free_port()
    env = dict(os.environ, PORT=str(port))
    start = sb.now()
    proc = subprocess.Popen(s.bare_cmd, cwd=s.bare_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = start + timeout
        while sb.now() < deadline:
            if sb.accepts(port):
                took = sb.now() - start
                try:
                    s.bare_rss_kb.append(vm_rss_kb(proc.pid))
                except OSError:
                    pass
                return took
            if proc.poll() is not None:
                raise RuntimeError(f"{s.bare_cmd} exited with {proc.returncode} before listening")
            time.sleep(poll)
        raise TimeoutError(f"bare {s.label} did not listen in time")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def web_state(d: sb.Slipwayd, app: str) -> str | None:
    for x in d.dynos(app):
        if x.get("type") == "web" or str(x.get("name", "")).startswith("web."):
            return x.get("state")
    return None


def wait_idle(d: sb.Slipwayd, app: str, timeout: float = 30.0) -> float:
    start = sb.now()
    while sb.now() - start < timeout:
        if web_state(d, app) == "idle":
            return sb.now() - start
        time.sleep(0.02)
    raise TimeoutError(f"{app} did not go idle within {timeout}s; dynos: {d.dynos(app)}")


def ttfb_once(d: sb.Slipwayd, s: Subject, timeout: float = 30.0) -> float:
    req = f"GET / HTTP/1.1\r\nHost: {s.app}.localhost\r\nConnection: close\r\n\r\n".encode()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(timeout)
    try:
        start = sb.now()
        sock.connect(("127.0.0.1", d.router_port))
        sock.sendall(req)
        first = sock.recv(1)
        took = sb.now() - start
        data = bytearray(first)
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200") or s.marker not in body[:4096] and s.marker not in body:
        lines = "\n".join(line for _, line in log_events(d, s.app, {"lines": 30}))
        raise RuntimeError(f"wake of {s.app} answered {head[:300]!r}\nits last log lines:\n{lines}")
    return took


def log_events(d: sb.Slipwayd, app: str, request: dict) -> list[tuple[bytes | None, str]]:
    """(event id, line) of each line a log session (`request`: lines, source, ...) replays for the app."""
    status, session = d.api("POST", f"/apps/{app}/log-sessions", request)
    if status != 201:
        raise RuntimeError(f"log-sessions -> {status}: {session}")
    parts = urllib.parse.urlsplit(session["logplex_url"])  # type: ignore[index]
    conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + "?" + parts.query, headers={"Accept": "text/event-stream"})
        raw = conn.getresponse().read()
    finally:
        conn.close()
    events = []
    for event in raw.split(b"\n\n"):
        eid, data = None, None
        for field in event.split(b"\n"):
            if field.startswith(b"id: "):
                eid = field[4:]
            elif field.startswith(b"data: "):
                data = field[6:].decode("utf-8", "replace")
        if data is not None:
            events.append((eid, data))
    return events


def unidling_lines(d: sb.Slipwayd, s: Subject) -> None:
    """Adds the not-yet-seen Unidling lines of s.app to s.logged."""
    for eid, data in log_events(d, s.app, {"lines": 60, "source": "heroku"}):
        m = UNIDLING.search(data)
        key = eid if eid is not None else data
        if m and key not in s.seen_ids:
            s.seen_ids.add(key)
            s.logged.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))


def deploy_free(d: sb.Slipwayd, s: Subject) -> None:
    s.app = sb.unique_app("bwake")
    d.cli("apps:create", s.app)
    d.cli("deploy", s.source, "-a", s.app)
    d.cli("ps:scale", "web=1:free", "-a", s.app)
    deadline = sb.now() + 60
    while sb.now() < deadline:
        status, body = d.router_get(s.app, timeout=10)
        if status == 200 and s.marker in body:
            return
        time.sleep(0.05)
    raise TimeoutError(f"{s.app} not served\n{d.log_tail()}")


def wake_part(d: sb.Slipwayd, args: argparse.Namespace, tmp: str) -> list[Subject]:
    poll = args.poll_ms / 1000.0
    subjects = make_subjects(tmp)
    for s in subjects:
        deploy_free(d, s)
        print(f"  deployed {s.label} to {s.app} (web=1:free)")
    for s in subjects:
        for _ in range(2):  # warm-up: JIT of the wake path, page cache of the slug and node
            bare_once(s, poll)
            wait_idle(d, s.app)
            ttfb_once(d, s)
        s.bare.clear(); s.bare_rss_kb.clear()
        unidling_lines(d, s)
        s.logged.clear()  # the warm-up wakes' lines are marked seen and not counted
    for i in range(args.n):
        for s in subjects:  # the two apps alternate so both see the same load
            s.bare.append(bare_once(s, poll))
            wait_idle(d, s.app)
            s.ttfb.append(ttfb_once(d, s))
            unidling_lines(d, s)
        if (i + 1) % 10 == 0:
            print(f"  round {i + 1}/{args.n}  load {sb.loadavg()}")
    return subjects


def report_wake(subjects: list[Subject]) -> list[dict]:
    out = []
    for s in subjects:
        t = [sb.ms(x) for x in s.ttfb]
        b = [sb.ms(x) for x in s.bare]
        diff = [x - y for x, y in zip(t, b)]
        med = sb.statistics.median
        r = {
            "label": s.label, "n": len(t),
            "ttfb_med": med(t), "ttfb_p99": sb.percentile(t, 99), "bare_med": med(b), "bare_p99": sb.percentile(b, 99),
            "diff_med": med(diff), "med_diff": med(t) - med(b),
            "log_n": len(s.logged),
            "log_total": med([x[0] for x in s.logged]) if s.logged else float("nan"),
            "log_platform": med([x[1] for x in s.logged]) if s.logged else float("nan"),
            "log_app": med([x[2] for x in s.logged]) if s.logged else float("nan"),
            "log_platform_p99": sb.percentile([x[1] for x in s.logged], 99) if s.logged else float("nan"),
            "bare_rss_mb": med(s.bare_rss_kb) / 1024 if s.bare_rss_kb else float("nan"),
        }
        out.append(r)
        print(f"### {s.label} ({s.app}), n={len(t)}")
        print(f"wake TTFB through router     : {sb.fmt(t)}  p99 {r['ttfb_p99']:.1f}")
        print(f"bare listen (accepts)        : {sb.fmt(b)}  p99 {r['bare_p99']:.1f}")
        print(f"per-round (TTFB - bare)      : {sb.fmt(diff)}")
        print(f"platform share               : median of differences {r['diff_med']:.1f} ms; "
              f"difference of medians {r['med_diff']:.1f} ms; ratio TTFB/bare {r['ttfb_med'] / r['bare_med']:.2f}x")
        print(f"slipwayd's Unidling lines    : n={r['log_n']}  median total {r['log_total']:.0f} ms, "
              f"platform {r['log_platform']:.0f} ms (p99 {r['log_platform_p99']:.0f}), app {r['log_app']:.0f} ms")
        print(f"bare process RSS at accept   : median {r['bare_rss_mb']:.1f} MB")
        print()
    return out


# -- part 2 -----------------------------------------------------------------------------------------------------------
def sleepers_part(d: sb.Slipwayd, args: argparse.Namespace) -> dict:
    pid = d.proc.pid
    rss_before = vm_rss_kb(pid)
    procs_before = descendants(pid)
    prefix = "bslp" + sb.uuid.uuid4().hex[:4]
    first = f"{prefix}-0000"
    d.cli("apps:create", first)
    d.cli("deploy", sb.EXAMPLE, "-a", first)
    status, releases = d.api("GET", f"/apps/{first}/releases")
    slug_id = next(r["slug"]["id"] for r in reversed(releases) if r.get("slug"))  # type: ignore[union-attr]
    # Each app gets a copy of that slug and is made free at once, so it falls asleep soon after its first boot: only a
    # few dynos are up at a time.
    _make_free(d, first)
    apps = [first]
    started = sb.now()
    while len(apps) < args.apps:
        name = f"{prefix}-{len(apps):04d}"
        _create(d, name)
        st, b = d.api("POST", f"/apps/{name}/releases", {"slug": slug_id}, timeout=60)
        if st not in (200, 201):
            raise RuntimeError(f"release to {name} -> {st}: {b}")
        _make_free(d, name)
        apps.append(name)
        if len(apps) % 10 == 0:
            print(f"  {len(apps)} apps ({sb.now() - started:.0f} s)")
    t_created = sb.now() - started
    deadline = sb.now() + args.idle_timeout
    idle = 0
    while sb.now() < deadline:
        # One paged list for every app (its slipway.state), not a call per app: the API allows 75 calls a minute.
        wanted = set(apps)
        idle = sum(1 for a in d.api_list("/apps") if a["name"] in wanted and a.get("slipway", {}).get("state") == "sleeping")
        if idle == len(apps):
            break
        time.sleep(2.0)
    time.sleep(3.0)  # let the last stops finish and the process tree settle
    rss_after = vm_rss_kb(pid)
    procs_after = descendants(pid)
    r = {"apps": len(apps), "idle": idle, "create_s": t_created,
         "rss_before_mb": rss_before / 1024, "rss_after_mb": rss_after / 1024,
         "per_app_kb": (rss_after - rss_before) / max(1, len(apps)),
         "procs_before": len(procs_before), "procs_after": len(procs_after),
         "proc_names": sorted({c for _, c in procs_after})}
    print(f"### sleepers: {len(apps)} apps, {idle} idle; created in {t_created:.0f} s")
    print(f"slipwayd VmRSS               : {r['rss_before_mb']:.1f} MB before -> {r['rss_after_mb']:.1f} MB after "
          f"({r['per_app_kb']:.0f} KB per app)")
    print(f"processes under slipwayd     : {r['procs_before']} before, {r['procs_after']} after {r['proc_names']}")
    print()
    return r


def _make_free(d: sb.Slipwayd, name: str) -> None:
    st, b = d.api("PATCH", f"/apps/{name}/formation", {"updates": [{"type": "web", "quantity": 1, "size": "free"}]}, timeout=60)
    if st != 200:
        raise RuntimeError(f"formation of {name} -> {st}: {b}")


def _create(d: sb.Slipwayd, name: str) -> None:
    st, b = d.api("POST", "/apps", {"name": name})
    if st not in (200, 201):
        raise RuntimeError(f"POST /apps {name} -> {st}: {b}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=100, help="timed wakes per app (default 100)")
    p.add_argument("--quick", action="store_true", help="20 wakes per app")
    p.add_argument("--poll-ms", type=float, default=1.0, help="connect poll for the bare runs (default 1)")
    p.add_argument("--apps", type=int, default=1000, help="sleeping apps for part 2 (default 1000; 0 skips it)")
    p.add_argument("--idle-timeout", type=float, default=180, help="limit for all sleepers to go idle (s)")
    p.add_argument("--skip-wake", action="store_true", help="only part 2")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    p.add_argument("--isolation", default="sandbox")
    sb.add_server_options(p)
    args = p.parse_args()
    report = sb.Report("wake")
    if args.quick:
        args.n = 20
    args.n = max(1, min(args.n, 500))
    args.apps = max(0, min(args.apps, 1000))
    dll = args.dll or sb.default_dll()

    print(f"# wake benchmark  {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"# machine: {sb.machine()}")
    print(f"# slipwayd: {dll}  n={args.n}  isolation={args.isolation}  load avg at start: {sb.loadavg()}")
    sb.subprocess.run([*sb.CLI_CMD, "--help"], capture_output=True, check=True, timeout=600)  # build the CLI untimed

    tmp = tempfile.mkdtemp(prefix="slipway-wake-")
    wake, sleepers = [], None
    try:
        for part in [p for p, wanted in (("wake", not args.skip_wake), ("sleepers", args.apps > 0)) if wanted]:
            # A fresh slipwayd per part: each gets the account's whole API budget (Heroku's 4,500 calls; 1,000 sleepers
            # take about 3,000), and the sleepers' memory is not mixed with the wakes'.
            d = WakeSlipwayd(dll, args.isolation, *sb.server_ports(args), extra=["--idle-after-seconds", "1"])
            try:
                d.start()
                print(f"# {part}: slipwayd pid {d.proc.pid}, api :{d.api_port} router :{d.router_port}, --idle-after-seconds 1")
                print(f"# slipwayd VmRSS after start: {vm_rss_kb(d.proc.pid) / 1024:.1f} MB")
                if part == "wake":
                    wake = report_wake(wake_part(d, args, tmp))
                else:
                    sleepers = sleepers_part(d, args)
            finally:
                d.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("summary (ms)   TTFB med/p99     bare med/p99    platform share: med(diff) / diff(med)   slipwayd 'platform' med")
    for r in wake:
        print(f"  {r['label']:<12} {r['ttfb_med']:6.1f} /{r['ttfb_p99']:6.1f}   {r['bare_med']:6.1f} /{r['bare_p99']:6.1f}"
              f"        {r['diff_med']:6.1f} / {r['med_diff']:6.1f}                  {r['log_platform']:5.0f}")
        verdict = "MET" if r["diff_med"] < TARGET_MS else "NOT MET"
        print(f"  target platform share < {TARGET_MS:g} ms median ({r['label']}): {r['diff_med']:.1f} ms -> {verdict}")
    if sleepers:
        print(f"  sleepers: {sleepers['apps']} apps, {sleepers['idle']} idle, slipwayd RSS "
              f"{sleepers['rss_before_mb']:.1f} -> {sleepers['rss_after_mb']:.1f} MB, dyno processes {sleepers['procs_after']}")
    for r in wake:
        report.add(f"Wake platform share, {r['label']} (TTFB − bare listen, median of {args.n})",
                   f"{r['diff_med']:.1f} ms (TTFB {r['ttfb_med']:.0f}, p99 {r['ttfb_p99']:.0f} ms)",
                   f"bare listen {r['bare_med']:.0f} ms", sb.ratio(r["ttfb_med"], r["bare_med"]), f"< {TARGET_MS:g} ms",
                   sb.difference_verdict(r["diff_med"], TARGET_MS))
    if sleepers:
        s = sleepers
        report.add(f"{s['apps']} sleeping apps ({s['idle']} idle)",
                   f"slipwayd {s['rss_after_mb']:.0f} MB, {s['procs_after']} dyno processes",
                   f"{s['rss_before_mb']:.0f} MB before", sb.ratio(s["rss_after_mb"], s["rss_before_mb"]), "0 processes",
                   sb.verdict(s["procs_after"] == 0 and s["idle"] == s["apps"]))
    report.write(args.json)
    print(f"# load avg at end: {sb.loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
