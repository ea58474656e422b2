// The app's storage add-on: its bucket's objects by "folder", with previews, upload (with progress) and delete.
import { api, appPath } from '../api.js';
import { appHeader } from '../app-nav.js';
import { Bucket } from '../bucket.js';
import { bytes } from '../format.js';
import { act, fill, h, status, time } from '../ui.js';
import { uploadForm } from './storage-upload.js';

export async function renderStorage(main, signal, name) {
  const report = status();
  const content = h('div');
  main.append(appHeader(name, '/storage'), report.element, content);
  const [addons, config] = await Promise.all([api(appPath(name, '/addons')), api(appPath(name, '/config-vars'))]);
  const addon = addons.find((a) => a.plan?.name?.startsWith('storage'));
  if (!addon || !config.AWS_ENDPOINT_URL_S3) {
    fill(content, h('p', { class: 'empty' }, 'This app has no storage add-on. Add one in ',
      h('a', { href: `#/apps/${encodeURIComponent(name)}/settings` }, 'Settings'), ', or with ', h('code', {}, `slipway addons:create storage -a ${name}`), '.'));
    return;
  }
  new BucketView(content, report, new Bucket(config, addon.provider_id), signal).show('');
}

/** One bucket: the current prefix, the continuation tokens of the pages seen, and the listing. */
class BucketView {
  constructor(element, report, bucket, signal) {
    Object.assign(this, { element, report, bucket, signal });
    this.crumbs = h('nav', { 'aria-label': 'Current folder' });
    this.body = h('tbody');
    this.pager = h('div', { class: 'actions' });
    this.table = h('table', {},
      h('caption', { class: 'visually-hidden' }, `Objects in ${bucket.name}`),
      h('thead', {}, h('tr', {}, ['Name', 'Size', 'Type', 'Last modified', 'Preview', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
      this.body);
    this.empty = h('p', { class: 'empty', hidden: true }, 'No objects here yet. Upload some below.');
    this.upload = uploadForm(bucket, report, (folder) => this.show(folder));
    fill(element,
      h('section', { 'aria-labelledby': 'bucket-heading' },
        h('h2', { id: 'bucket-heading' }, 'Bucket ', h('code', {}, bucket.name)),
        this.crumbs, h('div', { class: 'table-wrap' }, this.table), this.empty, this.pager),
      this.upload.form);
  }

  /** Lists the first page of `prefix`. */
  async show(prefix) {
    this.prefix = prefix;
    this.upload.setFolder(prefix);
    this.tokens = [undefined];
    await this.page(0);
  }

  async page(index) {
    // Only the newest listing draws: a folder opened, then left before its listing came, must not replace its successor.
    const listing = this.listing = {};
    const current = () => !this.signal.aborted && this.listing === listing;
    this.report.progress('Listing objects…');
    try {
      const { tokens } = this;
      const result = await this.bucket.list(this.prefix, tokens[index]);
      if (!current()) return;
      tokens[index + 1] = result.next;
      this.index = index;
      this.draw(result);
      this.report.clear();
    } catch (error) {
      if (current()) this.report.error(error);
    }
  }

  draw({ folders, objects, next }) {
    const parts = this.prefix.split('/').filter(Boolean);
    fill(this.crumbs, h('button', { type: 'button', class: 'link', onclick: () => this.show('') }, this.bucket.name),
      parts.map((part, i) => [' / ', h('button', { type: 'button', class: 'link', onclick: () => this.show(`${parts.slice(0, i + 1).join('/')}/`) }, part)]));
    fill(this.body, folders.map((folder) => this.folderRow(folder)), objects.map((object) => this.objectRow(object)));
    this.empty.hidden = folders.length + objects.length > 0;
    this.table.hidden = !this.empty.hidden;
    fill(this.pager,
      this.index > 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => this.page(this.index - 1) }, 'Previous page') : null,
      next ? h('button', { type: 'button', class: 'secondary', onclick: () => this.page(this.index + 1) }, 'Next page') : null);
  }

  folderRow(folder) {
    const label = folder.slice(this.prefix.length);
    return h('tr', {},
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', 'aria-label': `Open folder ${label}`, onclick: () => this.show(folder) }, `📁 ${label}`)),
      h('td', {}, '—'), h('td', {}, 'folder'), h('td', {}, '—'), h('td', {}), h('td', {}));
  }

  objectRow(object) {
    const name = object.key.slice(this.prefix.length);
    const type = h('td', {}, '…');
    const preview = h('td', {});
    const actions = h('td', {});
    const row = h('tr', { 'data-key': object.key },
      h('th', { scope: 'row' }, name), h('td', {}, bytes(object.size)), type, h('td', {}, time(object.lastModified)), preview, actions);
    this.describe(object.key, type, preview);
    this.offerDelete(actions, object.key);
    return row;
  }

  /** Fills in the type (a HEAD: listings do not say) and, for an image, a preview through a presigned URL. */
  async describe(key, typeCell, previewCell) {
    try {
      const type = await this.bucket.type(key);
      fill(typeCell, type || 'unknown');
      if (type.startsWith('image/')) {
        fill(previewCell, h('img', { src: await this.bucket.url('GET', key), alt: `Preview of ${key}`, class: 'preview', loading: 'lazy', width: 64, height: 64 }));
      }
    } catch (error) {
      fill(typeCell, h('span', { class: 'muted', title: error.message }, 'unavailable'));
    }
  }

  offerDelete(cell, key) {
    fill(cell, h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${key}`, onclick: () => this.confirmDelete(cell, key) }, 'Delete'));
  }

  confirmDelete(cell, key) {
    const yes = h('button', { type: 'button', class: 'danger', 'aria-label': `Yes, delete ${key}` }, 'Yes, delete');
    yes.addEventListener('click', () => act(yes, this.report, `Deleting ${key}…`, async () => {
      await this.bucket.remove(key);
      await this.page(this.index);
      return `Deleted ${key}.`;
    }));
    fill(cell, h('span', { role: 'group', 'aria-label': `Confirm deleting ${key}` }, `Delete for good? `, yes, ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => { this.offerDelete(cell, key); cell.querySelector('button').focus(); } }, 'Cancel')));
    yes.focus();
  }
}
