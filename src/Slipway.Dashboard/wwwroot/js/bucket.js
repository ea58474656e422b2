// One bucket of the app's storage add-on, through the S3 API with presigned URLs (the store answers this page's origin with CORS).
import { presign, uriEncode } from './sigv4.js';

const storageError = (message) => Object.assign(new Error(message), { id: 'storage' });

export class Bucket {
  /** config: the app's config vars (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL_S3); name: the bucket. */
  constructor(config, name) {
    this.name = name;
    this.endpoint = config.AWS_ENDPOINT_URL_S3;
    this.credentials = { accessKeyId: config.AWS_ACCESS_KEY_ID, secretAccessKey: config.AWS_SECRET_ACCESS_KEY, region: config.AWS_REGION || 'us-east-1' };
  }

  url(method, key, query) {
    const path = `/${uriEncode(this.name)}${key === undefined ? '' : `/${uriEncode(key, true)}`}`;
    return presign({ method, endpoint: this.endpoint, path, query, credentials: this.credentials });
  }

  /** One page of ListObjectsV2 under `prefix`, "folders" cut at '/': { folders, objects, next } (next: a continuation token or null). */
  async list(prefix, token, maxKeys = 50) {
    const xml = await this.send('GET', undefined, { 'list-type': '2', delimiter: '/', prefix, 'max-keys': String(maxKeys), 'continuation-token': token });
    const document = new DOMParser().parseFromString(await xml.text(), 'application/xml');
    const text = (node, tag) => node.getElementsByTagName(tag)[0]?.textContent ?? '';
    return {
      folders: [...document.getElementsByTagName('CommonPrefixes')].map((p) => text(p, 'Prefix')),
      objects: [...document.getElementsByTagName('Contents')].map((c) => ({ key: text(c, 'Key'), size: Number(text(c, 'Size')), lastModified: text(c, 'LastModified') })),
      next: text(document, 'IsTruncated') === 'true' ? text(document, 'NextContinuationToken') : null,
    };
  }

  /** The object's Content-Type, from a HEAD (listings do not carry it). */
  async type(key) {
    return (await this.send('HEAD', key)).headers.get('Content-Type') ?? '';
  }

  async remove(key) {
    await this.send('DELETE', key);
  }

  /** PUTs a file with its type, calling onProgress(sentBytes, totalBytes); XHR, since fetch cannot report upload progress. */
  async upload(key, file, onProgress) {
    const url = await this.url('PUT', key);
    await new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('PUT', url);
      if (file.type) request.setRequestHeader('Content-Type', file.type);
      request.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
      request.addEventListener('load', () => (request.status < 300 ? resolve() : reject(s3Error(request.status, request.responseText))));
      request.addEventListener('error', () => reject(unreachable(this.endpoint)));
      request.send(file);
    });
  }

  async send(method, key, query) {
    let response;
    try {
      response = await fetch(await this.url(method, key, query), { method, cache: 'no-store' });
    } catch {
      throw unreachable(this.endpoint);
    }
    if (!response.ok) throw s3Error(response.status, method === 'HEAD' ? '' : await response.text());
    return response;
  }
}

function unreachable(endpoint) {
  return storageError(`Cannot reach the object store at ${endpoint}. Check that slipwayd is running and that AWS_ENDPOINT_URL_S3 is its storage endpoint.`);
}

/** S3's XML error, as a sentence that says what to do. */
function s3Error(status, body) {
  const document = body ? new DOMParser().parseFromString(body, 'application/xml') : null;
  const code = document?.getElementsByTagName('Code')[0]?.textContent ?? `HTTP ${status}`;
  const message = document?.getElementsByTagName('Message')[0]?.textContent ?? '';
  const advice = code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || status === 403
    ? 'The add-on key in the config vars was refused: reload the page; if it persists, detach and re-attach the storage add-on.'
    : 'Try again; if it persists, check slipwayd\'s log.';
  return storageError(`The object store answered ${code}${message ? `: ${message}` : ''}. ${advice}`);
}
