"""Shared helpers for Slipway's benchmarks: run a private slipwayd, talk to its API and router, time things.

Everything stays on loopback. Every wait is bounded by a deadline. The slipwayd we start is stopped by
its own pid and its temporary data directory is removed (unless a mount is still left under it).
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# bench/run exports SLIPWAY_CLI_DLL (its Release build); alone, a script uses bin/slipway, which builds itself.
CLI_DLL = os.environ.get("SLIPWAY_CLI_DLL")
CLI = os.path.join(ROOT, "bin", "slipway")
CLI_CMD = ["dotnet", CLI_DLL] if CLI_DLL else [CLI]
EXAMPLE = os.path.join(ROOT, "examples", "node-hello")
HELLO_PREFIX = b"Hello from Slipway!"


ARTIFACTS = os.path.join(ROOT, "artifacts", "bench")


def default_dll() -> str:
    """slipwayd.dll from bench/run's artifacts path (artifacts/bench): Release if built, else Debug."""
    env = os.environ.get("SLIPWAYD_DLL")
    if env:
        return env
    for config in ("release", "debug"):
        path = os.path.join(ARTIFACTS, "bin", "Slipway.Server", config, "slipwayd.dll")
        if os.path.isfile(path):
            return path
    raise SystemExit(
        "slipwayd.dll not found. Build it with\n"
        "  dotnet build src/Slipway.Server -c Release --artifacts-path artifacts/bench\n"
        "(bench/run does), or point SLIPWAYD_DLL at one.")


def now() -> float:
    return time.perf_counter()


def ms(seconds: float) -> float:
    return seconds * 1000.0


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pick_ports(base_api: int, base_router: int, base_storage: int, tries: int = 50) -> tuple[int, int, int]:
    """The first offset (0, 1, 2, ... < tries) at which all three ports are free."""
    for offset in range(tries):
        ports = (base_api + offset, base_router + offset, base_storage + offset)
        if all(port_free(p) for p in ports):
            return ports
    raise SystemExit(f"no free port triple near {base_api}/{base_router}/{base_storage}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p90": percentile(values, 90),
        "min": min(values),
        "max": max(values),
    }


def fmt(values: list[float]) -> str:
    s = summary(values)
    return f"median {s['median']:8.1f} ms  p90 {s['p90']:8.1f}  min {s['min']:8.1f}  max {s['max']:8.1f}  (n={s['n']})"


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes: a server's own cost, which other load on the machine distorts less than req/s."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    distro = "?"
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {distro}, kernel {platform.release()}"


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def http_get(port: int, path: str = "/", host: str | None = None, timeout: float = 2.0,
             headers: dict | None = None) -> tuple[int, bytes]:
    """One GET to 127.0.0.1:port; (status, body), or (0, b'') when the connection fails."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = dict(headers or {})
        if host:
            h["Host"] = host
        conn.request("GET", path, headers=h)
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, http.client.HTTPException):
        return 0, b""
    finally:
        conn.close()


def accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(("127.0.0.1", port))
            return True
        except OSError:
            return False


def node_bare(until: str, poll: float, timeout: float = 20.0) -> float:
    """Seconds from spawning `node examples/node-hello/server.js` (PORT set) until it accepts TCP
    (until='accept') or answers GET / with 200 (until='http'); polls every `poll` seconds."""
    port = free_port()
    env = dict(os.environ, PORT=str(port))
    start = now()
    proc = subprocess.Popen(["node", "server.js"], cwd=EXAMPLE, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = start + timeout
        while now() < deadline:
            if until == "accept":
                if accepts(port):
                    return now() - start
            else:
                status, body = http_get(port)
                if status == 200 and body.startswith(HELLO_PREFIX):
                    return now() - start
            if proc.poll() is not None:
                raise RuntimeError(f"node exited with {proc.returncode} before listening")
            time.sleep(poll)
        raise TimeoutError("bare node did not listen in time")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def add_server_options(p: "argparse.ArgumentParser") -> None:
    """The private slipwayd's binary, ports and uids: the same options in every script, so benchmarks can run side by side."""
    p.add_argument("--dll", default=None, help="slipwayd.dll (default: the Release build in artifacts/bench, else Debug)")
    p.add_argument("--api-port", type=int, default=5300)
    p.add_argument("--router-port", type=int, default=8380)
    p.add_argument("--storage-port", type=int, default=9300)
    p.add_argument("--dyno-ports", default="23000-23999")
    p.add_argument("--uid-base", type=int, default=300000)


def server_ports(args) -> tuple:
    """What add_server_options parsed, in Slipwayd's argument order after the dll and the isolation mode."""
    return args.api_port, args.router_port, args.storage_port, args.dyno_ports, args.uid_base


class Slipwayd:
    """A private slipwayd on loopback with a throwaway data directory."""

    def __init__(self, dll: str, isolation: str = "sandbox", api_port: int = 5300, router_port: int = 8380,
                 storage_port: int = 9300, dyno_ports: str = "23000-23999", uid_base: int = 300000):
        self.dll = dll
        self.isolation = isolation
        self.api_port, self.router_port, self.storage_port = pick_ports(api_port, router_port, storage_port)
        self.dyno_ports = dyno_ports
        self.uid_base = uid_base
        self.token = "bench-" + uuid.uuid4().hex
        self.data_dir = tempfile.mkdtemp(prefix="slipway-bench-")
        self.log_path = self.data_dir + ".log"
        self.proc: subprocess.Popen | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> "Slipwayd":
        args = ["dotnet", self.dll, "--data-dir", self.data_dir,
                "--api-port", str(self.api_port), "--router-port", str(self.router_port),
                "--storage-port", str(self.storage_port), "--dyno-ports", self.dyno_ports,
                "--uid-base", str(self.uid_base), "--isolation", self.isolation]
        env = dict(os.environ, SLIPWAY_ADMIN_TOKEN=self.token, DOTNET_NOLOGO="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = now() + timeout
        while now() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"slipwayd exited with {self.proc.returncode}; log: {self.log_path}\n" + self.log_tail())
            status, _ = http_get(self.api_port, "/healthz")
            if status == 200:
                return self
            time.sleep(0.05)
        raise TimeoutError(f"slipwayd not healthy in {timeout}s; log: {self.log_path}\n" + self.log_tail())

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM to our slipwayd (by pid), wait, SIGKILL only if it will not stop; then remove the data dir."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        mounted = self._mounts_under(self.data_dir)
        if mounted:
            # slipwayd should have unmounted every dyno on a clean stop; these mounts are ours to remove.
            print(f"WARNING: slipwayd left {len(mounted)} mounts under {self.data_dir} after SIGTERM; unmounting them")
            for point in sorted(mounted, key=len, reverse=True):
                subprocess.run(["umount", "-l", point], check=False)
        if self._mounts_under(self.data_dir):
            print(f"note: leaving {self.data_dir} in place; still mounted")
            return
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if os.environ.get("BENCH_KEEP_LOG") != "1":
            try:
                os.unlink(self.log_path)
            except OSError:
                pass

    @staticmethod
    def _mounts_under(path: str) -> list[str]:
        found = []
        try:
            with open("/proc/self/mountinfo") as f:
                for line in f:
                    point = line.split()[4]
                    if point == path or point.startswith(path + "/"):
                        found.append(point)
        except OSError:
            pass
        return found

    def __enter__(self) -> "Slipwayd":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- clients ---------------------------------------------------------------------------------
    @property
    def cli_env(self) -> dict:
        return dict(os.environ, SLIPWAY_API_URL=f"http://localhost:{self.api_port}", SLIPWAY_API_KEY=self.token,
                    NO_COLOR="1")

    def cli(self, *args: str, timeout: float = 300.0) -> subprocess.CompletedProcess:
        done = subprocess.run([*CLI_CMD, *args], env=self.cli_env, cwd=ROOT, capture_output=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"slipway {' '.join(args)} failed ({done.returncode}):\n"
                               + done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace"))
        return done

    def api(self, method: str, path: str, body: object | None = None, timeout: float = 10.0) -> tuple[int, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.api_port, timeout=timeout)
        try:
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/vnd.heroku+json; version=3"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = raw
            return resp.status, parsed
        finally:
            conn.close()

    def api_list(self, path: str, timeout: float = 60.0) -> list[dict]:
        """Every item of a list endpoint, following Heroku's Range / Next-Range pages (1,000 at a time)."""
        items: list[dict] = []
        page_range = "id ..; max=1000"
        while page_range:
            conn = http.client.HTTPConnection("127.0.0.1", self.api_port, timeout=timeout)
            try:
                conn.request("GET", path, headers={"Authorization": f"Bearer {self.token}", "Range": page_range,
                                                   "Accept": "application/vnd.heroku+json; version=3"})
                resp = conn.getresponse()
                raw = resp.read()
                if resp.status not in (200, 206):
                    raise RuntimeError(f"GET {path} -> {resp.status}: {raw[:300]!r}")
                items.extend(json.loads(raw))
                page_range = resp.getheader("Next-Range") if resp.status == 206 else None
            finally:
                conn.close()
        return items

    def router_get(self, app: str, path: str = "/", timeout: float = 2.0) -> tuple[int, bytes]:
        return http_get(self.router_port, path, host=f"{app}.localhost", timeout=timeout)

    def dynos(self, app: str) -> list[dict]:
        status, body = self.api("GET", f"/apps/{app}/dynos")
        if status != 200:
            raise RuntimeError(f"GET /apps/{app}/dynos -> {status}: {body}")
        return body  # type: ignore[return-value]

    def wait_web_up(self, app: str, timeout: float = 60.0) -> None:
        deadline = now() + timeout
        while now() < deadline:
            status, body = self.router_get(app)
            if status == 200 and body.startswith(HELLO_PREFIX):
                return
            time.sleep(0.02)
        raise TimeoutError(f"{app} not served by the router within {timeout}s; log tail:\n{self.log_tail()}")


    def rss_mb(self) -> float:
        """slipwayd's resident memory (VmRSS) in MB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        raise RuntimeError("no VmRSS for slipwayd")

    def descendants(self) -> list[int]:
        """Pids of every process below slipwayd (dynos and their sandbox helpers)."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        found, todo = [], [self.proc.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def deploy_source(self, app: str, files: dict[str, str]) -> None:
        """Creates APP and deploys a source tree made of `files` (name -> text) with the CLI."""
        directory = write_source(files)
        try:
            self.cli("apps:create", app)
            self.cli("deploy", directory, "-a", app)
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def write_source(files: dict[str, str]) -> str:
    directory = tempfile.mkdtemp(prefix="slipway-bench-src-")
    for name, text in files.items():
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)
    return directory


def unique_app(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def load1() -> float:
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except (OSError, ValueError):
        return 0.0


class Report:
    """The rows a benchmark contributes to bench/run's table: figure, Slipway, baseline, ratio, target, verdict.
    Written as JSON to --json PATH; the load average at start and end travels with them."""

    def __init__(self, name: str):
        self.name = name
        self.rows: list[dict] = []
        self.load_start = loadavg()

    def add(self, figure: str, slipway: str, baseline: str, ratio: str, target: str, verdict: str) -> None:
        self.rows.append({"figure": figure, "slipway": slipway, "baseline": baseline, "ratio": ratio,
                          "target": target, "verdict": verdict})

    def write(self, path: str | None) -> None:
        if not path:
            return
        with open(path, "w") as f:
            json.dump({"benchmark": self.name, "rows": self.rows, "load_start": self.load_start,
                       "load_end": loadavg(), "busy": load1() > (os.cpu_count() or 1)}, f, indent=1)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def difference_verdict(difference: float, target: float) -> str:
    """For 'Slipway minus bare' figures: a negative difference means the noise exceeded the effect, not a win."""
    if difference < 0:
        return "inconclusive: negative difference (noise larger than the effect)"
    return verdict(difference < target)


def rate(x: float) -> str:
    """A per-second figure with as many digits as it needs: 12,345 / 123 / 4.5."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"
