// Config vars (values hidden until revealed), custom domains, and deleting the app behind a typed confirmation.
import { api, appPath, releases } from '../api.js';
import { appHeader } from '../app-nav.js';
import { act, field, fill, h, status } from '../ui.js';

export async function renderSettings(main, _signal, name) {
  const configSection = h('section', { 'aria-labelledby': 'config-heading' });
  const domainSection = h('section', { 'aria-labelledby': 'domains-heading' });
  const addonSection = h('section', { 'aria-labelledby': 'addons-heading' });
  main.append(appHeader(name, '/settings'), configSection, addonSection, domainSection, deleteSection(name));
  await Promise.all([renderConfig(configSection, name), renderAddons(addonSection, name, () => renderConfig(configSection, name)), renderDomains(domainSection, name)]);
}

async function renderConfig(section, app) {
  const report = status();
  const rows = h('tbody');
  const key = h('input', { name: 'key', autocomplete: 'off', spellcheck: 'false', required: true, pattern: '\\w+' });
  const value = h('input', { name: 'value', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'inline-form', 'aria-label': 'Add a config var' },
    field('Key', key), field('Value', value), h('button', { type: 'submit' }, 'Add'));

  const change = async (control, changes, doing, done) => act(control, report, `${doing}…`, async () => {
    const config = await api(appPath(app, '/config-vars'), { method: 'PATCH', body: changes });
    const [latest] = await releases(app, 1);
    show(config);
    return `${done}: release v${latest.version} created; dynos restart with it.`;
  });
  const show = (config) => fill(rows, Object.keys(config).sort().map((k) => configRow(k, config[k], change)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    change(form.querySelector('button'), { [key.value.trim()]: value.value }, `Setting ${key.value.trim()}`, `Set ${key.value.trim()}`).then((ok) => {
      if (ok) form.reset();
    });
  });

  fill(section,
    h('h2', { id: 'config-heading' }, 'Config vars'),
    h('p', { class: 'muted' }, 'Keys use letters, digits and underscores. Every change creates a release and restarts the dynos.'),
    report.element,
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Key', 'Value', ''].map((c) => h('th', { scope: 'col' }, c)))), rows)),
    form);
  show(await api(appPath(app, '/config-vars')));
}

function configRow(key, value, change) {
  const shown = h('span', { class: 'secret' }, '••••••••');
  const reveal = h('button', { type: 'button', class: 'secondary small', 'aria-pressed': 'false', 'aria-label': `Reveal ${key}` }, 'Reveal');
  reveal.addEventListener('click', () => {
    const revealing = reveal.getAttribute('aria-pressed') === 'false';
    reveal.setAttribute('aria-pressed', String(revealing));
    reveal.textContent = revealing ? 'Hide' : 'Reveal';
    reveal.setAttribute('aria-label', `${revealing ? 'Hide' : 'Reveal'} ${key}`);
    shown.textContent = revealing ? value : '••••••••';
    shown.classList.toggle('secret', !revealing);
  });
  const edit = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Edit ${key}` }, 'Edit');
  const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': `Remove ${key}` }, 'Remove');
  remove.addEventListener('click', () => change(remove, { [key]: null }, `Removing ${key}`, `Removed ${key}`));
  const row = h('tr', { 'data-key': key }, h('th', { scope: 'row' }, h('code', {}, key)), h('td', {}, shown), h('td', { class: 'actions' }, reveal, edit, remove));
  edit.addEventListener('click', () => {
    const input = h('input', { value, 'aria-label': `New value for ${key}`, autocomplete: 'off', spellcheck: 'false' });
    const save = h('button', { type: 'submit', class: 'small' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'secondary small' }, 'Cancel');
    const form = h('form', { class: 'edit-value' }, input, save, cancel);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      change(save, { [key]: input.value }, `Setting ${key}`, `Set ${key}`);
    });
    cancel.addEventListener('click', () => row.replaceWith(configRow(key, value, change)));
    fill(row.children[1], form);
    input.focus();
  });
  return row;
}

/** The storage add-on: its bucket and the config vars it sets, or a button to attach it. */
async function renderAddons(section, app, configChanged) {
  const report = status();
  const [addon] = await api(appPath(app, '/addons'));
  if (addon) {
    fill(section, h('h2', { id: 'addons-heading' }, 'Add-ons'),
      h('p', {}, h('strong', {}, addon.addon_service.human_name), ` (${addon.plan.name}): bucket `, h('code', {}, addon.provider_id),
        ', config vars ', addon.config_vars.map((v, i) => [i ? ', ' : '', h('code', {}, v)]), '.'),
      h('p', { class: 'muted' }, 'Read and write its objects with any S3 client and these config vars.'));
    return;
  }
  const attach = h('button', { type: 'button', class: 'secondary' }, 'Add storage');
  attach.addEventListener('click', () => act(attach, report, 'Attaching the storage add-on…', async () => {
    await api(appPath(app, '/addons'), { method: 'POST', body: { plan: 'storage' } });
    await Promise.all([renderAddons(section, app, configChanged), configChanged()]);
  }));
  fill(section, h('h2', { id: 'addons-heading' }, 'Add-ons'),
    h('p', { class: 'muted' }, 'No add-ons. Storage gives the app an S3 bucket whose files outlive its dynos (a new release sets its config vars).'),
    attach, report.element);
}

async function renderDomains(section, app) {
  const report = status();
  const list = h('ul', { class: 'plain' });
  const hostname = h('input', { name: 'hostname', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'www.example.com' });
  const form = h('form', { class: 'inline-form', 'aria-label': 'Add a domain' }, field('Hostname', hostname), h('button', { type: 'submit' }, 'Add domain'));
  const refresh = async () => {
    const domains = await api(appPath(app, '/domains'));
    fill(list, domains.map((d) => {
      const item = h('li', {}, h('code', {}, d.hostname), ' ', d.cname ? h('span', { class: 'muted' }, `CNAME → ${d.cname}`) : h('span', { class: 'muted' }, '(default)'));
      if (d.kind === 'custom') {
        const remove = h('button', { type: 'button', class: 'danger small', 'aria-label': `Remove ${d.hostname}` }, 'Remove');
        remove.addEventListener('click', () => act(remove, report, `Removing ${d.hostname}…`, async () => {
          await api(appPath(app, `/domains/${encodeURIComponent(d.id)}`), { method: 'DELETE' });
          await refresh();
          return `Removed ${d.hostname}.`;
        }));
        item.append(' ', remove);
      }
      return item;
    }));
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(form.querySelector('button'), report, 'Adding the domain…', async () => {
      const added = await api(appPath(app, '/domains'), { method: 'POST', body: { hostname: hostname.value.trim() } });
      form.reset();
      await refresh();
      return `Added ${added.hostname}: point a CNAME record at ${added.cname}.`;
    });
  });
  fill(section, h('h2', { id: 'domains-heading' }, 'Domains'), report.element, list, form);
  await refresh();
}

function deleteSection(app) {
  const report = status();
  const confirm = h('input', { name: 'confirm', autocomplete: 'off', spellcheck: 'false' });
  const button = h('button', { type: 'submit', class: 'danger', disabled: true }, 'Delete app');
  confirm.addEventListener('input', () => { button.disabled = confirm.value !== app; });
  const form = h('form', { class: 'danger-zone', 'aria-labelledby': 'delete-heading' },
    h('h2', { id: 'delete-heading' }, 'Delete app'),
    h('p', {}, 'Deleting stops every dyno and removes the app, its releases, config vars and git repository. This cannot be undone.'),
    field(`Type ${app} to confirm`, confirm), button, report.element);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (confirm.value !== app) return;
    act(button, report, `Deleting ${app}…`, async () => {
      await api(appPath(app), { method: 'DELETE' });
      location.hash = '#/apps';
    });
  });
  return form;
}
