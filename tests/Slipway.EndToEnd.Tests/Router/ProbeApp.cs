namespace Slipway.EndToEnd.Tests.Router;

/// <summary>A tiny node app whose paths misbehave on demand, so each router error can be provoked on a real dyno.</summary>
internal static class ProbeApp
{
    public static string Create(string procfile = "web: node probe.js")
    {
        var source = Directory.CreateTempSubdirectory("slipway-probe-").FullName;
        File.WriteAllText(Path.Combine(source, "Procfile"), procfile + "\n");
        File.WriteAllText(Path.Combine(source, "probe.js"), """
            "use strict";
            const http = require("http");
            const crypto = require("crypto");
            const dyno = process.env.DYNO;
            const server = http.createServer((req, res) => {
              const url = new URL(req.url, "http://probe");
              const ms = Number(url.searchParams.get("ms") || 0);
              switch (url.pathname) {
                case "/sleep": // answers after ms: H12 when that is past the request timeout
                  setTimeout(() => res.end(`slept ${dyno}\n`), ms);
                  return;
                case "/stream": // one chunk every ms, n times: long, but never silent for long
                  res.writeHead(200, { "Content-Type": "text/plain" });
                  let left = Number(url.searchParams.get("n"));
                  const tick = setInterval(() => { res.write(`chunk ${left}\n`); if (--left === 0) { clearInterval(tick); res.end(); } }, ms);
                  return;
                case "/stall": // one chunk, then silence: H15
                  res.writeHead(200, { "Content-Type": "text/plain" });
                  res.write("first\n");
                  return;
                case "/close": // H13
                  req.socket.destroy();
                  return;
                case "/half": // H18: promises 100 bytes, sends 7, hangs up
                  res.writeHead(200, { "Content-Length": "100" });
                  res.write("partial");
                  setTimeout(() => req.socket.destroy(), 50);
                  return;
                case "/big-header": // H25
                  res.writeHead(200, { "X-Big": "x".repeat(600 * 1024) });
                  res.end("big\n");
                  return;
                case "/unlisten": // stays up but refuses connections: H21
                  // Idle keep-alive connections close before the answer and this one with it, so the router never sends a
                  // request on a connection that is about to close (that would be H13, not H21).
                  server.close();
                  server.closeIdleConnections();
                  res.writeHead(200, { Connection: "close" });
                  res.end(`closed ${dyno}\n`);
                  return;
                case "/count": { // counts and hashes an upload of any size as it streams in
                  const hash = crypto.createHash("sha256");
                  let bytes = 0;
                  req.on("data", (chunk) => { bytes += chunk.length; hash.update(chunk); });
                  req.on("end", () => {
                    res.writeHead(200, { "Content-Type": "application/json" });
                    res.end(JSON.stringify({ bytes, sha256: hash.digest("hex") }));
                  });
                  return;
                }
                case "/page": // an owner's error or maintenance page
                  res.writeHead(200, { "Content-Type": "text/html" });
                  res.end(`<h1>Our own ${url.searchParams.get("kind")} page</h1>`);
                  return;
                case "/headers":
                  res.writeHead(200, { "Content-Type": "application/json" });
                  res.end(JSON.stringify(req.headers));
                  return;
                default:
                  res.end(`ok ${dyno}\n`);
              }
            });
            // WebSocket echo of small text frames, enough to show the router passes an upgraded connection through.
            server.on("upgrade", (req, socket) => {
              const accept = crypto.createHash("sha1").update(req.headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
              socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
              socket.on("data", (frame) => {
                const opcode = frame[0] & 0x0f, length = frame[1] & 0x7f, mask = frame.subarray(2, 6);
                const payload = Buffer.from(frame.subarray(6, 6 + length).map((b, i) => b ^ mask[i % 4]));
                if (opcode === 8) { socket.end(Buffer.from([0x88, 0])); return; }
                socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
              });
              socket.on("error", () => {});
            });
            setInterval(() => {}, 1 << 30); // keeps the process alive after /unlisten
            server.listen(Number(process.env.PORT), () => console.log(`probe listening on ${process.env.PORT}`));
            process.on("SIGTERM", () => process.exit(0));
            """);
        return source;
    }
}
