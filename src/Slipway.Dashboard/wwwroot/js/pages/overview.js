// One app at a glance: its dynos, its formation with scale controls, restart, maintenance, and a link to the app.
import { api, appPath } from '../api.js';
import { appHeader } from '../app-nav.js';
import { act, age, badge, every, field, fill, h, refill, status } from '../ui.js';

export async function renderOverview(main, signal, name) {
  const [app, sizes] = await Promise.all([api(appPath(name)), api('/dyno-sizes')]);
  if (signal.aborted) return; // left before it loaded: the next view owns the page
  const report = status();
  const state = h('span');
  const restart = h('button', { type: 'button', class: 'secondary' }, 'Restart all dynos');
  restart.addEventListener('click', () => act(restart, report, 'Restarting all dynos…', async () => {
    await api(appPath(name, '/dynos'), { method: 'DELETE' });
    return 'Restart requested: each dyno is replaced by a fresh one.';
  }));

  const formation = h('div', { class: 'formation' });
  const dynos = h('tbody');
  main.append(
    appHeader(name, '', h('a', { class: 'button', href: app.web_url, target: '_blank', rel: 'noopener noreferrer' }, 'Open app'), restart),
    h('p', {}, 'State: ', state, ' · ', h('a', { href: app.web_url, target: '_blank', rel: 'noopener noreferrer' }, app.web_url)),
    report.element,
    maintenanceToggle(app, report),
    h('section', { 'aria-labelledby': 'formation-heading' }, h('h2', { id: 'formation-heading' }, 'Formation'), formation),
    h('section', { 'aria-labelledby': 'dynos-heading' },
      h('h2', { id: 'dynos-heading' }, 'Dynos'),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Dyno', 'State', 'Age', 'Release', 'Size', ''].map((c) => h('th', { scope: 'col' }, c)))),
        dynos))));

  fill(formation, (await api(appPath(name, '/formation'))).map((entry) => formationRow(name, entry, sizes)));
  if (formation.childElementCount === 0) fill(formation, h('p', { class: 'muted' }, 'No process types yet: deploy code with a Procfile or a buildpack default.'));

  await every(4000, signal, async () => {
    const [list, current] = await Promise.all([api(appPath(name, '/dynos')), api(appPath(name))]);
    fill(state, badge(current.slipway.state));
    refill(dynos, list.length ? list.map((d) => dynoRow(name, d, report)) : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No dynos running.')));
  }, report);
}

function maintenanceToggle(app, report) {
  const box = h('input', { type: 'checkbox', role: 'switch', checked: app.maintenance });
  box.addEventListener('change', () => act(box, report, box.checked ? 'Turning maintenance mode on…' : 'Turning maintenance mode off…', async () => {
    try {
      const updated = await api(appPath(app.name), { method: 'PATCH', body: { maintenance: box.checked } });
      return updated.maintenance ? 'Maintenance mode is on: visitors get the maintenance page (H80).' : 'Maintenance mode is off.';
    } catch (error) {
      box.checked = !box.checked;
      throw error;
    }
  }));
  return h('p', { class: 'switch' }, h('label', {}, box, ' Maintenance mode'));
}

function formationRow(app, entry, sizes) {
  const report = status();
  const quantity = h('input', { type: 'number', min: 0, max: 100, value: entry.quantity, name: `${entry.type}-quantity`, inputmode: 'numeric' });
  const size = h('select', { name: `${entry.type}-size` },
    sizes.map((s) => h('option', { value: s.name, selected: s.name.toLowerCase() === entry.size.toLowerCase() }, `${s.name} (${s.memory * 1024} MB${s.sleeps ? ', sleeps' : ''})`)));
  const form = h('form', { class: 'formation-row', 'aria-label': `${entry.type} processes` },
    h('div', { class: 'process' }, h('strong', {}, entry.type), h('code', {}, entry.command)),
    field(`${entry.type} dynos`, quantity),
    field(`${entry.type} size`, size),
    h('button', { type: 'submit' }, 'Scale'),
    report.element);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(form.querySelector('button'), report, `Scaling ${entry.type}…`, async () => {
      const updated = await api(appPath(app, `/formation/${encodeURIComponent(entry.type)}`), {
        method: 'PATCH',
        body: { quantity: Number(quantity.value), size: size.value },
      });
      return `Scaled to ${entry.type}=${updated.quantity}:${updated.size}. Dynos below follow within seconds.`;
    });
  });
  return form;
}

function dynoRow(app, dyno, report) {
  const restart = h('button', { type: 'button', class: 'secondary small' }, 'Restart');
  restart.setAttribute('aria-label', `Restart ${dyno.name}`);
  restart.addEventListener('click', () => act(restart, report, `Restarting ${dyno.name}…`, async () => {
    await api(appPath(app, `/dynos/${encodeURIComponent(dyno.name)}`), { method: 'DELETE' });
    return `Restart of ${dyno.name} requested.`;
  }));
  return h('tr', { 'data-dyno': dyno.name },
    h('th', { scope: 'row' }, dyno.name),
    h('td', {}, badge(dyno.state)),
    h('td', {}, h('time', { datetime: dyno.updated_at, title: dyno.updated_at }, `${dyno.state} for ${age(dyno.updated_at)}`)),
    h('td', {}, `v${dyno.release.version}`),
    h('td', {}, dyno.size),
    h('td', {}, restart));
}
