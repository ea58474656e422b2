// Every app of the signed-in account, with its state, last release, URL and process tier.
import { api, releases } from '../api.js';
import { act, badge, every, field, h, refill, status, time } from '../ui.js';

export async function renderApps(main, signal) {
  const report = status();
  const body = h('tbody');
  const table = h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Your apps'),
    h('thead', {}, h('tr', {}, ['App', 'State', 'Last release', 'URL', 'Tier'].map((c) => h('th', { scope: 'col' }, c)))),
    body);
  const empty = h('p', { class: 'muted', hidden: true }, 'No apps yet. Create one below, then deploy with ', h('code', {}, 'slipway deploy'), ' or ', h('code', {}, 'git push'), '.');
  main.append(h('h1', {}, 'Apps'), report.element, h('div', { class: 'table-wrap' }, table), empty, createForm(report));

  await every(20000, signal, async () => {
    const apps = await api('/apps');
    const rows = await Promise.all(apps.map(row));
    empty.hidden = apps.length > 0;
    table.hidden = apps.length === 0;
    refill(body, rows);
  }, report);
}

async function row(app) {
  const [release] = await releases(app.name, 1);
  return h('tr', { 'data-app': app.name },
    h('th', { scope: 'row' }, h('a', { href: `#/apps/${encodeURIComponent(app.name)}` }, app.name)),
    h('td', {}, badge(app.slipway.state)),
    h('td', {}, release ? [`v${release.version} `, time(release.created_at)] : h('span', { class: 'muted' }, 'none')),
    h('td', {}, h('a', { href: app.web_url, target: '_blank', rel: 'noopener noreferrer' }, app.web_url)),
    h('td', {}, app.process_tier ?? '—'));
}

function createForm(report) {
  const name = h('input', { name: 'name', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'inline-form', 'aria-labelledby': 'create-app' },
    h('h2', { id: 'create-app' }, 'Create an app'),
    field('Name', name, 'Lowercase letters, digits and dashes; leave empty for a generated name.'),
    h('button', { type: 'submit' }, 'Create app'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(form.querySelector('button'), report, 'Creating the app…', async () => {
      const app = await api('/apps', { method: 'POST', body: name.value.trim() ? { name: name.value.trim() } : {} });
      location.hash = `#/apps/${encodeURIComponent(app.name)}`;
    });
  });
  return form;
}
