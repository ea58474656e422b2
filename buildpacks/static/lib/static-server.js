// Slipway's static file server: serves the app's files on $PORT. Shipped in the slug at .slipway/static-server.js.
// static.json (optional): { "root": "public", "clean_urls": true, "error_page": "404.html", "headers": { "/*.css": { "Cache-Control": "max-age=60" } } }
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const appDir = path.resolve(__dirname, "..");
let config = {};
try {
  config = JSON.parse(fs.readFileSync(path.join(appDir, "static.json"), "utf8"));
} catch (e) {
  if (e.code !== "ENOENT") {
    console.error(`static.json: ${e.message}`);
    process.exit(1);
  }
}
let rootName = typeof config.root === "string" && config.root ? config.root : null;
if (!rootName) {
  rootName = !fs.existsSync(path.join(appDir, "index.html")) && fs.existsSync(path.join(appDir, "public", "index.html")) ? "public" : ".";
}
const root = fs.realpathSync(path.resolve(appDir, rootName));

const types = {
  ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
  ".map": "application/json", ".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
  ".xml": "application/xml", ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif",
  ".ico": "image/x-icon", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
  ".wasm": "application/wasm", ".pdf": "application/pdf", ".mp4": "video/mp4", ".webm": "video/webm",
  ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".wav": "audio/wav", ".webmanifest": "application/manifest+json",
};

function contentType(file) {
  return types[path.extname(file).toLowerCase()] || "application/octet-stream";
}

// Resolves a URL path to a file under root, or null. Dot-files (.profile.d, .slipway, .env) are never served.
function resolve(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const segments = decoded.split("/").filter((s) => s.length > 0);
  if (segments.some((s) => s === ".." || (s.startsWith(".") && s !== ".well-known"))) return null;
  const candidates = [path.join(root, ...segments)];
  if (decoded.endsWith("/") || segments.length === 0) candidates[0] = path.join(candidates[0], "index.html");
  else {
    candidates.push(path.join(candidates[0], "index.html"));
    if (config.clean_urls) candidates.push(candidates[0] + ".html");
  }
  for (const candidate of candidates) {
    try {
      const real = fs.realpathSync(candidate);
      if (real !== root && !real.startsWith(root + path.sep)) continue;
      const stat = fs.statSync(real);
      if (stat.isFile()) return { file: real, stat };
    } catch {
      // Try the next candidate.
    }
  }
  return null;
}

function extraHeaders(urlPath) {
  const headers = {};
  for (const [pattern, values] of Object.entries(config.headers || {})) {
    const regex = new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
    if (regex.test(urlPath)) Object.assign(headers, values);
  }
  return headers;
}

const server = http.createServer((req, res) => {
  const urlPath = (req.url || "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
    res.end("Method Not Allowed\n");
    return;
  }
  // A directory without a trailing slash: redirect so relative links in its index.html resolve.
  if (!urlPath.endsWith("/")) {
    const found = resolve(urlPath);
    if (found && path.basename(found.file) === "index.html" && path.basename(urlPath) !== "index.html" && !urlPath.endsWith(".html")) {
      res.writeHead(301, { Location: urlPath + "/" });
      res.end();
      return;
    }
  }
  let found = resolve(urlPath);
  let status = 200;
  if (!found && config.error_page) {
    found = resolve("/" + config.error_page);
    status = 404;
  }
  if (!found) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("Not Found\n");
    return;
  }
  const etag = `"${found.stat.size.toString(16)}-${Math.floor(found.stat.mtimeMs).toString(16)}"`;
  const headers = {
    "Content-Type": contentType(found.file),
    "Content-Length": found.stat.size,
    "Last-Modified": found.stat.mtime.toUTCString(),
    ETag: etag,
    ...extraHeaders(urlPath),
  };
  if (status === 200 && req.headers["if-none-match"] === etag) {
    res.writeHead(304, { ETag: etag });
    res.end();
    return;
  }
  res.writeHead(status, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  fs.createReadStream(found.file).pipe(res);
});

const port = Number(process.env.PORT || 5000);
server.listen(port, "0.0.0.0", () => console.log(`Serving ${path.relative(appDir, root) || "."} on port ${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
