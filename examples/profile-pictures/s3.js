// A minimal S3 client: PUT, GET and list with AWS Signature Version 4, on node's http and crypto only.
"use strict";
const crypto = require("crypto");
const http = require("http");
const https = require("https");

const sha256 = (data) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();
// RFC 3986 encoding, as SigV4 canonical requests want it.
const encode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

class S3 {
  constructor({ endpoint, region, accessKeyId, secretAccessKey, bucket }) {
    Object.assign(this, { endpoint: new URL(endpoint), region, accessKeyId, secretAccessKey, bucket });
  }

  static fromEnv(env) {
    if (!env.S3_BUCKET || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return null;
    return new S3({
      endpoint: env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || `https://s3.${env.AWS_REGION || "us-east-1"}.amazonaws.com`,
      region: env.AWS_REGION || "us-east-1",
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      bucket: env.S3_BUCKET,
    });
  }

  put(key, body, contentType) {
    return this.request("PUT", key, {}, body, { "content-type": contentType });
  }

  get(key) {
    return this.request("GET", key);
  }

  async list(prefix) {
    const { body } = (await this.request("GET", "", { "list-type": "2", prefix })) ?? { body: Buffer.alloc(0) };
    return [...body.toString("utf8").matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
      m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&"));
  }

  // Path-style: /bucket/key, which works against any S3-compatible store.
  request(method, key, query = {}, body = Buffer.alloc(0), extraHeaders = {}) {
    const path = "/" + [this.bucket, ...(key ? key.split("/") : [])].map(encode).join("/");
    const canonicalQuery = Object.entries(query).map(([k, v]) => [encode(k), encode(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`).join("&");
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
    const headers = { ...extraHeaders, host: this.endpoint.host, "x-amz-date": amzDate, "x-amz-content-sha256": sha256(body) };
    const names = Object.keys(headers).sort();
    const canonicalRequest = [method, path, canonicalQuery, names.map((n) => `${n}:${String(headers[n]).trim()}\n`).join(""), names.join(";"), headers["x-amz-content-sha256"]].join("\n");
    const scope = `${amzDate.slice(0, 8)}/${this.region}/s3/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
    const signingKey = ["s3", "aws4_request"].reduce(hmac, hmac(hmac("AWS4" + this.secretAccessKey, amzDate.slice(0, 8)), this.region));
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${hmac(signingKey, stringToSign).toString("hex")}`;
    headers["content-length"] = body.length;

    const transport = this.endpoint.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request({ method, host: this.endpoint.hostname, port: this.endpoint.port, path: path + (canonicalQuery ? "?" + canonicalQuery : ""), headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const result = { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
          if (res.statusCode === 404) resolve(null);
          else if (res.statusCode >= 300) reject(new Error(`S3 ${method} ${path} answered ${res.statusCode}: ${result.body.toString("utf8").slice(0, 300)}`));
          else resolve(result);
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }
}

module.exports = { S3 };
