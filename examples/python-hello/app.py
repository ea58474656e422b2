"""Slipway's example Python app: a greeting on /, a few env vars as JSON on /env."""
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENV_NAMES = ["PORT", "DYNO", "GREETING", "HOME", "VIRTUAL_ENV", "SOURCE_VERSION"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/env":
            env = {name: os.environ[name] for name in ENV_NAMES if name in os.environ}
            self.reply(200, "application/json", json.dumps(env) + "\n")
        elif path == "/":
            greeting = os.environ.get("GREETING", "unset")
            self.reply(200, "text/plain; charset=utf-8", f"Hello from Slipway! GREETING={greeting}\n")
        else:
            self.reply(404, "text/plain; charset=utf-8", "Not Found\n")

    def reply(self, status, content_type, body):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    port = int(os.environ.get("PORT", "5000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"python-hello listening on port {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
