// Slipway's profile-pictures example: upload a picture, see it. With the storage add-on (AWS_* and S3_BUCKET config
// vars) pictures go to the bucket and outlive every dyno; without it they land in ./assets, which the next restart discards.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const path = require("path");
const { S3 } = require("./s3");

const PREFIX = "profilepictures/";
const LOCAL = path.join(__dirname, "assets", "profilepictures");
const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = { "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp" };
const s3 = S3.fromEnv(process.env);

const store = s3
  ? {
      where: `bucket ${s3.bucket} (survives restarts)`,
      save: (name, data, type) => s3.put(PREFIX + name, data, type),
      load: async (name) => {
        const found = await s3.get(PREFIX + name);
        return found && { data: found.body, type: found.headers["content-type"] };
      },
      list: async () => (await s3.list(PREFIX)).map((key) => key.slice(PREFIX.length)),
    }
  : {
      where: "./assets on the dyno's filesystem (lost at the next restart: add the storage add-on)",
      save: async (name, data) => {
        await fs.promises.mkdir(LOCAL, { recursive: true });
        await fs.promises.writeFile(path.join(LOCAL, name), data);
      },
      load: async (name) => {
        const data = await fs.promises.readFile(path.join(LOCAL, name)).catch(() => null);
        return data && { data, type: Object.keys(TYPES).find((t) => name.endsWith(TYPES[t])) };
      },
      list: async () => fs.promises.readdir(LOCAL).catch(() => []),
    };

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BYTES) {
        reject(Object.assign(new Error(`Pictures may be at most ${MAX_BYTES / 1024 / 1024} MB.`), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

// The first file of a multipart/form-data body: its bytes and content type.
function firstFile(body, contentType) {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  for (let start = body.indexOf(delimiter); start >= 0; ) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // without the CRLFs around it
    const split = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, split).toString("utf8");
    if (split >= 0 && /filename="[^"]+"/i.test(headers)) {
      return { data: part.subarray(split + 4), type: (/content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1] || "").trim().toLowerCase() };
    }
    start = next;
  }
  return null;
}

async function upload(req, res) {
  const contentType = (req.headers["content-type"] || "").toLowerCase();
  const body = await readBody(req);
  const form = contentType.startsWith("multipart/form-data");
  const file = form ? firstFile(body, contentType) : { data: body, type: contentType.split(";")[0].trim() };
  if (!file || file.data.length === 0) return send(res, 400, "Send a picture: a form field of type file, or the image itself as the body.\n");
  if (!TYPES[file.type]) return send(res, 415, `Pictures must be one of ${Object.keys(TYPES).join(", ")}; this was '${file.type}'.\n`);
  const name = crypto.randomBytes(8).toString("hex") + TYPES[file.type];
  await store.save(name, file.data, file.type);
  console.log(`saved picture ${name} (${file.data.length} bytes) to ${s3 ? "bucket " + s3.bucket : "./assets"}`);
  if (form) {
    res.writeHead(303, { Location: "/" });
    return res.end();
  }
  send(res, 201, JSON.stringify({ url: `/pictures/${name}` }) + "\n", "application/json");
}

async function page(res) {
  const names = await store.list();
  const images = names.map((n) => `<img src="/pictures/${encodeURIComponent(n)}" alt="" width="160">`).join("\n");
  send(res, 200, `<!doctype html>
<html><head><meta charset="utf-8"><title>Profile pictures</title></head>
<body>
<h1>Profile pictures</h1>
<form method="post" action="/pictures" enctype="multipart/form-data">
  <input type="file" name="picture" accept="image/*" required> <button>Upload</button>
</form>
<p>Stored in ${store.where.replace(/&/g, "&amp;").replace(/</g, "&lt;")}.</p>
${images || "<p>No pictures yet.</p>"}
</body></html>
`, "text/html; charset=utf-8");
}

function send(res, status, text, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "Content-Type": type });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url || "/", "http://app");
  try {
    if (req.method === "GET" && url.pathname === "/") return await page(res);
    if (req.method === "POST" && url.pathname === "/pictures") return await upload(req, res);
    const match = /^\/pictures\/([0-9a-f]{16}\.[a-z]+)$/.exec(url.pathname);
    if (req.method === "GET" && match) {
      const picture = await store.load(match[1]);
      if (!picture) return send(res, 404, "No such picture.\n");
      res.writeHead(200, { "Content-Type": picture.type || "application/octet-stream", "X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=31536000, immutable" });
      return res.end(picture.data);
    }
    send(res, 404, "Not Found\n");
  } catch (error) {
    console.error(error);
    if (!res.headersSent) send(res, error.status || 500, `${error.status ? error.message : "Could not handle the picture."}\n`);
  }
});

const port = Number(process.env.PORT || 5000);
server.listen(port, () => console.log(`profile-pictures listening on port ${port}, storing in ${store.where}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
