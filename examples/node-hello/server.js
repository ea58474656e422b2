// Slipway's example Node.js app: a greeting on /, a few env vars as JSON on /env.
"use strict";
const http = require("http");

const envNames = ["PORT", "DYNO", "GREETING", "HOME", "NODE_ENV", "SOURCE_VERSION"];

const server = http.createServer((req, res) => {
  const path = (req.url || "/").split("?")[0];
  if (path === "/env") {
    const env = Object.fromEntries(envNames.filter((n) => n in process.env).map((n) => [n, process.env[n]]));
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(env) + "\n");
    return;
  }
  if (path !== "/") {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("Not Found\n");
    return;
  }
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(`Hello from Slipway! GREETING=${process.env.GREETING ?? "unset"}\n`);
});

const port = Number(process.env.PORT || 5000);
server.listen(port, () => console.log(`node-hello listening on port ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
