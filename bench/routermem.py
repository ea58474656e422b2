#!/usr/bin/env python3
"""Router memory: per idle keep-alive client connection (vs nginx), and with 1,000 apps registered.

Setup (untimed): a private slipwayd with the same fast node app as bench/router.py, and nginx on a free port as a
reverse proxy to that same dyno (bench/router.py's config: 2 workers, an upstream keep-alive pool).

Measured:
  idle connections  N clients each send one keep-alive GET through the proxy, read the whole response and stay
                    connected, idle. Per connection = (resident memory with the N open − before) ÷ N: slipwayd's
                    VmRSS, and nginx's master + workers summed. Well inside the router's 55 s idle limit (H15).
  registered apps   --apps apps created through the Platform API, each then asked for `/` through the router once
                    (an app with no dynos answers H14, which builds the router's per-app state: host, metrics, log).
                    Per app = (slipwayd VmRSS after − before) ÷ apps.
Every response is checked: 200 and the 64-byte body through both proxies; 503 and Heroku's "Application error" page
(H14 in the router's log) for the empty apps.
"""

from __future__ import annotations

import argparse
import os
import resource
import selectors
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402
from router import BODY, deploy_fast_app, nginx_proxy, process_tree  # noqa: E402

SETTLE_S = 2.0  # after the last connection is open: the proxies finish their per-connection work, the GC its cycle


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return total


def open_idle(port: int, host: str, count: int, timeout: float = 60.0) -> list[socket.socket]:
    """`count` connections, each with one completed keep-alive GET, left open and idle."""
    request = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    sockets: list[socket.socket] = []
    pending: dict[socket.socket, bytearray] = {}
    deadline = sb.now() + timeout
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(request)
        s.setblocking(False)
        sockets.append(s)
        pending[s] = bytearray()
        selector.register(s, selectors.EVENT_READ)
        # At most 32 requests outstanding: the router holds 50 in flight per dyno and answers H11 past its backlog.
        while len(pending) >= 32 and sb.now() < deadline:
            drain(selector, pending, 0.5)
    while pending and sb.now() < deadline:
        drain(selector, pending, 0.5)
    if pending:
        raise TimeoutError(f"{len(pending)} of {count} responses through port {port} did not arrive in {timeout}s")
    selector.close()
    return sockets


def drain(selector: selectors.BaseSelector, pending: dict[socket.socket, bytearray], wait: float) -> None:
    for key, _ in selector.select(wait):
        s: socket.socket = key.fileobj  # type: ignore[assignment]
        data = s.recv(65536)
        if not data:
            raise RuntimeError("the proxy closed a keep-alive connection before answering")
        buffer = pending[s]
        buffer += data
        head, sep, body = bytes(buffer).partition(b"\r\n\r\n")
        if sep and len(body) >= len(BODY):
            if not head.startswith(b"HTTP/1.1 200") or body != BODY.encode():
                raise RuntimeError(f"unexpected response: {bytes(buffer)[:300]!r}")
            selector.unregister(s)
            del pending[s]


def per_connection_kb(port: int, host: str, pids: list[int], count: int) -> float:
    before = rss_kb(pids)
    sockets = open_idle(port, host, count)
    time.sleep(SETTLE_S)
    after = rss_kb(pids)
    for s in sockets:
        s.close()
    return (after - before) / count


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--connections", type=int, default=5000, help="idle client connections (default 5,000; --quick 1,000)")
    p.add_argument("--apps", type=int, default=1000, help="apps registered (default 1,000)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    if args.quick:
        args.connections = 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, args.connections + 1024)), hard))
    report = sb.Report("routermem")
    print(f"# router memory benchmark; machine: {sb.machine()}; load: {sb.loadavg()}")

    d = sb.Slipwayd(args.dll or sb.default_dll(), "sandbox", *sb.server_ports(args))
    try:
        d.start()
        app, dyno_port = deploy_fast_app(d)
        host = f"{app}.localhost"
        with nginx_proxy(dyno_port) as nginx:
            targets = {"router": (d.router_port, [d.proc.pid]), "nginx": (nginx.port, process_tree(nginx.proc.pid))}
            for name, (target_port, pids) in targets.items():  # untimed warm-up: pools, JIT, the first GC cycles
                for s in open_idle(target_port, host, 200):
                    s.close()
            per_conn = {name: per_connection_kb(target_port, host, pids, args.connections)
                        for name, (target_port, pids) in targets.items()}
        print(f"  idle keep-alive connections: {args.connections:,}; router {per_conn['router']:.1f} KB each, "
              f"nginx {per_conn['nginx']:.1f} KB each")
        report.add(f"Router memory per idle keep-alive client connection ({args.connections:,} open)",
                   f"{per_conn['router']:.1f} KB", f"nginx {per_conn['nginx']:.1f} KB",
                   sb.ratio(per_conn["router"], per_conn["nginx"]), "track", "—")

        before_mb = d.rss_mb()
        prefix = sb.unique_app("reg")[:20]
        for i in range(args.apps):
            name = f"{prefix}-{i}"
            status, body = d.api("POST", "/apps", {"name": name})
            if status != 201:
                raise RuntimeError(f"POST /apps {name} -> {status}: {body}")
            status, answer = d.router_get(name, timeout=10)
            if status != 503 or b"Application error" not in answer:
                raise RuntimeError(f"router answered {status} for the empty app {name}: {answer[:200]!r}")
        time.sleep(SETTLE_S)
        after_mb = d.rss_mb()
        per_app_kb = (after_mb - before_mb) * 1024 / args.apps
        print(f"  {args.apps:,} apps registered: slipwayd {before_mb:.0f} MB → {after_mb:.0f} MB, {per_app_kb:.1f} KB per app")
        report.add(f"slipwayd memory with {args.apps:,} apps registered (each routed once)",
                   f"{after_mb:.0f} MB ({per_app_kb:.1f} KB per app)", f"{before_mb:.0f} MB with one app",
                   sb.ratio(after_mb, before_mb), "track", "—")
    finally:
        d.stop()

    for row in report.rows:
        print(" | ".join(row.values()))
    report.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
