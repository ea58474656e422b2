// The account's free/eco dyno-hour pool: used and remaining, per app, burn rate, projected run-out, and pinger warnings.
import { api } from '../api.js';
import { fill, h, status, time } from '../ui.js';

const quotaJson = 'application/vnd.heroku+json; version=3.account-quotas';
const hours = (seconds) => (seconds / 3600).toFixed(1);

export async function renderQuota(main) {
  const report = status();
  const summary = h('div');
  const events = h('ul', { class: 'plain' });
  main.append(h('h1', {}, 'Quota'), report.element, summary,
    h('section', { 'aria-labelledby': 'events-heading' }, h('h2', { id: 'events-heading' }, 'Quota events'), events));
  const account = await api('/account');
  const [quota, history] = await Promise.all([
    api(`/accounts/${encodeURIComponent(account.id)}/actions/get-quota`, { accept: quotaJson }),
    api('/account/quota-events'),
  ]);

  const remaining = Math.max(0, quota.account_quota - quota.quota_used);
  fill(summary,
    h('p', {}, `${account.email} · ${account.verified ? 'verified' : 'unverified'} account · ${quota.pool} pool`),
    h('p', { class: 'quota-figure' }, h('strong', {}, `${hours(quota.quota_used)} h`), ` used of ${hours(quota.account_quota)} h this month, `,
      h('strong', {}, `${hours(remaining)} h`), ' remaining.'),
    h('meter', { min: 0, max: quota.account_quota, value: quota.quota_used, high: quota.account_quota * 0.8, optimum: 0, 'aria-label': 'Dyno hours used' }),
    quota.exhausted ? h('p', { class: 'status error', role: 'alert' }, `The pool is used up: ${quota.pool} apps sleep and answer H82 until the month renews. Verify the account or move apps to another tier.`) : null,
    h('dl', { class: 'facts' },
      h('dt', {}, 'Burn rate'), h('dd', {}, `${quota.hours_per_day} h a day`),
      h('dt', {}, 'Runs out'), h('dd', {}, quota.runs_out_at ? h('time', { datetime: quota.runs_out_at }, new Date(quota.runs_out_at).toUTCString()) : 'not this month at this rate'),
      h('dt', {}, 'Renews'), h('dd', {}, h('time', { datetime: quota.renews_at }, new Date(quota.renews_at).toUTCString()))),
    h('h2', {}, 'Usage by app'),
    quota.apps.length === 0 ? h('p', { class: 'muted' }, `No ${quota.pool} apps this month.`) : h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['App', 'Hours used', 'Kept awake by a pinger?'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, quota.apps.map((a) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `#/apps/${encodeURIComponent(a.app_name)}` }, a.app_name)),
        h('td', {}, hours(a.quota_used)),
        h('td', {}, a.pinged ? h('span', { class: 'badge state-crashed' }, 'yes: requests at regular intervals keep it from sleeping') : 'no')))))));
  fill(events, history.length === 0 ? h('li', { class: 'muted' }, 'No quota events this month.')
    : history.map((e) => h('li', {}, h('span', { class: `badge level-${e.level}` }, e.level), ' ', e.message, ' ', time(e.created_at))));
}
