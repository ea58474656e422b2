#!/usr/bin/env python3
"""Object storage: S3 GET and PUT of 4 KiB and 8 MiB objects at concurrency 1 and 16, against nginx and the disk.

Setup (untimed): a private slipwayd; an account-wide access key (POST /storage/keys); a bucket; the objects, put
and read back byte for byte; a 2 s warm-up of GET and PUT (and of nginx) and 3 s of 8 MiB PUTs. Requests are SigV4 presigned URLs
(query-string signatures, signed here with hashlib and hmac), so that wrk can send them. wrk repeats one URL per
object: slipwayd verifies its signature on first use and then answers it from its verified-URL cache (expiry and
key revocation are still checked per request), as it would for a browser fetching the same presigned URL again;
SDK requests signed in the Authorization header differ per request (x-amz-date) and are verified every time: the
extra GET 4 KiB c16 case rotates over 20,000 URLs each signed once, so every request pays the whole verification.

Measured with wrk for --seconds per case (-t1 -c1, and -t2 -c16):
  GET  slipwayd serving the object  vs  nginx serving the same bytes from a file.      Target: >= 0.8x nginx.
  PUT  slipwayd storing an object (fsync'd data file, index row) vs the fsync'd disk bound: the same bytes written
       to a new file and fsync'd, as `dd bs=SIZE count=1 conv=fsync` does, in-process from 1 or 16 threads (no
       process start per object, so the bound is strict), for half of --seconds right before slipwayd's run and half
       right after, averaged: this disk's fsync rate swings 2x within a minute. nginx WebDAV PUT (no fsync) is shown
       for reference. Target: >= 0.5x the fsync'd disk.
PUTs rotate over 32-64 keys (overwrites), spread over wrk's threads. Every wrk run must have no socket or status
errors and whole bodies (GET); afterwards a PUT key is read back from slipwayd and from nginx and compared.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import http.client
import os
import shutil
import sys
import tempfile
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slipbench as sb  # noqa: E402
from baselines import Nginx, WrkResult, wrk  # noqa: E402

SIZES = {"4 KiB": 4096, "8 MiB": 8 << 20}
CONCURRENCY = {1: (1, 1), 16: (2, 16)}  # concurrency -> (wrk threads, connections)
REGION = "us-east-1"
UNCACHED_URLS = 20_000  # distinct presigned URLs, five times what slipwayd's verified-URL cache holds


class Signer:
    """SigV4 query-string presigning for path-style URLs on 127.0.0.1:port."""

    def __init__(self, port: int, access_key: str, secret: str):
        self.port, self.access_key, self.secret = port, access_key, secret

    def presign(self, method: str, path: str, expires: int = 3600) -> str:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        scope = f"{stamp[:8]}/{REGION}/s3/aws4_request"
        query = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": f"{self.access_key}/{scope}",
                 "X-Amz-Date": stamp, "X-Amz-Expires": str(expires), "X-Amz-SignedHeaders": "host"}
        canonical_query = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in sorted(query.items()))
        canonical = "\n".join([method, urllib.parse.quote(path, safe="/-_.~"), canonical_query,
                               f"host:127.0.0.1:{self.port}", "", "host", "UNSIGNED-PAYLOAD"])
        to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + self.secret).encode()
        for part in (stamp[:8], REGION, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return f"{path}?{canonical_query}&X-Amz-Signature={signature}"


def _enc(value: str) -> str:
    return urllib.parse.quote(value, safe="-_.~")


def request(port: int, method: str, path_and_query: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path_and_query, body=body)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def rotate_script(method: str, paths: list[str], threads: int, body_file: str | None = None) -> str:
    """wrk Lua: each thread sends `method` (with the body, if any) to its share of `paths` in turn (requests built once, in init)."""
    listed = ",".join(f'"{p}"' for p in paths)
    body = f'local f = io.open("{body_file}", "rb"); local body = f:read("*a"); f:close()' if body_file else "local body = nil"
    return f"""
local counter = 0
local paths = {{{listed}}}
setup = function(thread) thread:set("offset", counter); counter = counter + 1 end
init = function(args)
  {body}
  reqs = {{}}
  for i = 1, #paths do
    if (i - 1) % {threads} == offset then reqs[#reqs + 1] = wrk.format("{method}", paths[i], nil, body) end
  end
  idx = 0
end
request = function() idx = idx % #reqs + 1; return reqs[idx] end
"""


def first_found(get, keys: int) -> tuple[int, bytes]:
    """The first of keys 0..keys-1 that answers 200 (else the last answer)."""
    for i in range(keys):
        status, body = get(i)
        if status == 200:
            break
    return status, body


def fsync_writes(directory: str, data: bytes, threads: int, seconds: float) -> float:
    """Objects per second: each thread writes `data` to a new file and fsyncs it, over and over (dd conv=fsync)."""
    counts = [0] * threads
    stop = sb.now() + seconds

    def writer(t: int) -> None:
        i = 0
        while sb.now() < stop:
            fd = os.open(os.path.join(directory, f"w{t}-{i % 64}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            i += 1
        counts[t] = i

    started = sb.now()
    workers = [threading.Thread(target=writer, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (sb.now() - started)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10, help="seconds per case (default 10; --quick 3)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", help="write the table rows here (bench/run)")
    sb.add_server_options(p)
    args = p.parse_args()
    if args.quick:
        args.seconds = 3
    report = sb.Report("storage")
    print(f"# storage benchmark; machine: {sb.machine()}; load: {sb.loadavg()}")

    work = tempfile.mkdtemp(prefix="slipway-bench-storage-")  # same file system as slipwayd's data dir
    files, dav, disk = (os.path.join(work, n) for n in ("files", "dav", "disk"))
    for directory in (files, dav, disk):
        os.makedirs(directory)
    os.chmod(work, 0o755)  # nginx's workers run unprivileged: they read files/ and write dav/
    os.chmod(dav, 0o777)
    blobs = {label: os.urandom(size) for label, size in SIZES.items()}
    for label, data in blobs.items():
        with open(os.path.join(files, f"obj-{len(data)}"), "wb") as f:
            f.write(data)
        os.chmod(f.name, 0o644)

    d = sb.Slipwayd(args.dll or sb.default_dll(), "sandbox", *sb.server_ports(args))
    nginx = Nginx(f"""
    location /files/ {{ root {work}; }}
    location /dav/ {{ root {work}; dav_methods PUT; create_full_put_path on; client_max_body_size 64m; }}""")
    gets: dict[tuple, WrkResult] = {}  # (who, size label, concurrency)
    puts: dict[tuple, WrkResult] = {}
    disk_rates: dict[tuple, float] = {}
    try:
        d.start()
        nginx.start()
        status, key = d.api("POST", "/storage/keys", {"bucket": None, "read_only": False})
        if status != 201:
            raise RuntimeError(f"POST /storage/keys -> {status}: {key}")
        signer = Signer(d.storage_port, key["access_key_id"], key["secret_access_key"])  # type: ignore[index]
        bucket = sb.unique_app("bench")
        status, body = request(d.storage_port, "PUT", signer.presign("PUT", f"/{bucket}"))
        if status != 200:
            raise RuntimeError(f"create bucket -> {status}: {body[:300]!r}")
        for label, data in blobs.items():
            path = f"/{bucket}/obj-{len(data)}"
            status, body = request(d.storage_port, "PUT", signer.presign("PUT", path), data)
            if status != 200:
                raise RuntimeError(f"PUT {path} -> {status}: {body[:300]!r}")
            status, body = request(d.storage_port, "GET", signer.presign("GET", path))
            if status != 200 or body != data:
                raise RuntimeError(f"GET {path} -> {status}, {len(body)} bytes: not the object that was put")

        storage_host = {"Host": f"127.0.0.1:{d.storage_port}"}
        # Untimed warm-up, as a long-running slipwayd would be: without it the first case (GET 4 KiB, c1) measured
        # tier-0 JIT code and the background recompilation to tier 1 (7% of slipwayd's CPU in a perf profile).
        warm_body = os.path.join(work, "warm-up")
        with open(warm_body, "wb") as f:
            f.write(blobs["4 KiB"])
        wrk(f"http://127.0.0.1:{d.storage_port}" + signer.presign("GET", f"/{bucket}/obj-4096"), 2, 16, 2, storage_host)
        wrk(f"http://127.0.0.1:{d.storage_port}/", 1, 4, 2, storage_host,
            rotate_script("PUT", [signer.presign("PUT", f"/{bucket}/warm-up-{i}") for i in range(4)], 1, warm_body))
        # Large PUTs take another path (data files, chunked hashing) that the 4 KiB ones never reach: 2 s at ~15/s left
        # it below the tier-up count, and a profile of the first PUT 8 MiB case had the JIT at 28% of slipwayd's CPU.
        warm_large = os.path.join(work, "warm-up-large")
        with open(warm_large, "wb") as f:
            f.write(blobs["8 MiB"])
        wrk(f"http://127.0.0.1:{d.storage_port}/", 1, 2, 3, storage_host,
            rotate_script("PUT", [signer.presign("PUT", f"/{bucket}/warm-up-large-{i}") for i in range(2)], 1, warm_large), timeout_s=30)
        wrk(f"http://127.0.0.1:{nginx.port}/files/obj-4096", 2, 16, 2)
        for label, data in blobs.items():
            size = len(data)
            body_file = os.path.join(work, f"body-{size}")
            with open(body_file, "wb") as f:
                f.write(data)
            keys = 64 if size <= 4096 else 32
            # 8 MiB: enough requests per run to count (--quick keeps 3 s: 45-150 objects, bench/run --quick must stay under 5 minutes)
            seconds = args.seconds if size <= 4096 or args.quick else 2 * args.seconds
            for conc, (threads, conns) in CONCURRENCY.items():
                case = f"{label} c{conc}"
                url = f"http://127.0.0.1:{d.storage_port}" + signer.presign("GET", f"/{bucket}/obj-{size}")
                r = wrk(url, threads, conns, seconds, storage_host, timeout_s=30)
                r.check(f"slipway GET {case}", size, size + 1024, conns)
                gets[("slipway", label, conc)] = r
                r = wrk(f"http://127.0.0.1:{nginx.port}/files/obj-{size}", threads, conns, seconds, timeout_s=30)
                r.check(f"nginx GET {case}", size, size + 1024, conns)
                gets[("nginx", label, conc)] = r

                paths = [signer.presign("PUT", f"/{bucket}/put-{size}-{i}") for i in range(keys)]
                disk_before = fsync_writes(disk, data, conc, seconds / 2)
                r = wrk(f"http://127.0.0.1:{d.storage_port}/", threads, conns, seconds, storage_host,
                        rotate_script("PUT", paths, threads, body_file), timeout_s=30)
                disk_rates[(label, conc)] = (disk_before + fsync_writes(disk, data, conc, seconds / 2)) / 2
                r.check(f"slipway PUT {case}", 0, connections=conns)
                puts[("slipway", label, conc)] = r
                dav_paths = [f"/dav/put-{size}-{i}" for i in range(keys)]
                r = wrk(f"http://127.0.0.1:{nginx.port}/", threads, conns, seconds,
                        lua=rotate_script("PUT", dav_paths, threads, body_file), timeout_s=30)
                r.check(f"nginx PUT {case}", 0, connections=conns)
                puts[("nginx", label, conc)] = r
                for who in ("slipway", "nginx"):
                    g, w = gets[(who, label, conc)], puts[(who, label, conc)]
                    print(f"  {who:<8} {case:<10} GET {g.rps:8.0f}/s {g.mb_per_s:8.1f} MB/s p99 {g.p99_ms:7.2f} ms"
                          f"   PUT {w.rps:8.0f}/s p99 {w.p99_ms:7.2f} ms")
                print(f"  disk     {case:<10} fsync'd writes {disk_rates[(label, conc)]:8.0f}/s")

            if size == 4096:
                # The same GET with a URL signed for each request, more URLs than the verified-URL cache holds: the full
                # SigV4 verification every time, as for SDK requests signed in the Authorization header.
                threads, conns = CONCURRENCY[16]
                urls = [signer.presign("GET", f"/{bucket}/obj-{size}", expires=3600 + i) for i in range(UNCACHED_URLS)]
                r = wrk(f"http://127.0.0.1:{d.storage_port}/", threads, conns, args.seconds, storage_host,
                        rotate_script("GET", urls, threads), timeout_s=30)
                r.check("slipway GET 4 KiB c16, a URL per request", size, size + 1024, conns)
                gets[("slipway uncached", label, 16)] = r

            # The first key a PUT reached: wrk discards its first request() (a probe), so under load key 0 may never be sent.
            status, body = first_found(lambda i: request(d.storage_port, "GET", signer.presign("GET", f"/{bucket}/put-{size}-{i}")), keys)
            if status != 200 or body != data:
                raise RuntimeError(f"slipway: a PUT object read back as {status}, {len(body)} bytes")
            status, body = first_found(lambda i: request(nginx.port, "GET", f"/dav/put-{size}-{i}"), keys)
            if status != 200 or body != data:
                raise RuntimeError(f"nginx: a PUT file read back as {status}, {len(body)} bytes")
    finally:
        nginx.stop()
        d.stop()
        shutil.rmtree(work, ignore_errors=True)

    for label, size in SIZES.items():
        for conc in CONCURRENCY:
            sg, ng = gets[("slipway", label, conc)], gets[("nginx", label, conc)]
            report.add(f"Storage GET {label}, concurrency {conc} (objects/s)", f"{sb.rate(sg.rps)} ({sb.rate(sg.mb_per_s)} MB/s)",
                       f"nginx {sb.rate(ng.rps)}", sb.ratio(sg.rps, ng.rps), "≥ 0.8× nginx", sb.verdict(sg.rps >= 0.8 * ng.rps))
    su, ng = gets[("slipway uncached", "4 KiB", 16)], gets[("nginx", "4 KiB", 16)]
    report.add("Storage GET 4 KiB, concurrency 16, every request signed anew (objects/s)",
               f"{sb.rate(su.rps)} ({sb.rate(su.mb_per_s)} MB/s)", f"nginx {sb.rate(ng.rps)}", sb.ratio(su.rps, ng.rps),
               "≥ 0.8× nginx", sb.verdict(su.rps >= 0.8 * ng.rps))
    for label, size in SIZES.items():
        for conc in CONCURRENCY:
            sp, npt, disk_rate = puts[("slipway", label, conc)], puts[("nginx", label, conc)], disk_rates[(label, conc)]
            report.add(f"Storage PUT {label}, concurrency {conc} (objects/s)", f"{sb.rate(sp.rps)} ({sb.rate(sp.rps * size / 1e6)} MB/s)",
                       f"fsync'd disk {sb.rate(disk_rate)}; nginx PUT (no fsync) {sb.rate(npt.rps)}",
                       sb.ratio(sp.rps, disk_rate), "≥ 0.5× fsync'd disk", sb.verdict(sp.rps >= 0.5 * disk_rate))
    for row in report.rows:
        print(" | ".join(row.values()))
    report.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
