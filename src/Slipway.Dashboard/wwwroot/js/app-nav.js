// The heading and tabs shared by every page of one app.
import { h } from './ui.js';

const tabs = [['', 'Overview'], ['/activity', 'Activity'], ['/settings', 'Settings'], ['/logs', 'Logs'], ['/metrics', 'Metrics'], ['/storage', 'Storage']];

export function appHeader(app, current, ...actions) {
  const base = `#/apps/${encodeURIComponent(app)}`;
  return h('div', { class: 'app-header' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/apps' }, 'Apps'), ' / '),
    h('div', { class: 'title-row' }, h('h1', {}, app), h('div', { class: 'actions' }, actions)),
    h('nav', { class: 'tabs', 'aria-label': `${app} pages` },
      tabs.map(([path, label]) => h('a', { href: base + path, 'aria-current': path === current ? 'page' : false }, label))));
}
