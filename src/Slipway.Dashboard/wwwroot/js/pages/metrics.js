// Router metrics per minute (requests by status class, service-time percentiles), dyno memory against quota, sleeps and wakes.
import { api, appPath } from '../api.js';
import { appHeader } from '../app-nav.js';
import { legend, lines, stackedBars } from '../chart.js';
import { every, fill, h, status } from '../ui.js';
import { memorySections, sleepSection } from './dyno-charts.js';

const statusSeries = [['status_2xx', 's2xx'], ['status_3xx', 's3xx'], ['status_4xx', 's4xx'], ['status_5xx', 's5xx']];
const latencySeries = [['p50_ms', 'p50'], ['p95_ms', 'p95'], ['p99_ms', 'p99']];

export async function renderMetrics(main, signal, name) {
  const report = status();
  const router = h('div');
  const dynos = h('div');
  main.append(appHeader(name, '/metrics'), report.element, router, dynos);
  await every(30000, signal, async () => {
    // An older slipwayd has no metrics endpoints: that is "no data yet", not an error.
    const [traffic, memory] = await Promise.all([
      api(appPath(name, '/router-metrics'), { allow: [404] }),
      api(appPath(name, '/dyno-metrics'), { allow: [404] }),
    ]);
    fill(router, routerSections(traffic.minutes ?? []));
    const measured = memory.dynos ?? [];
    fill(dynos,
      h('section', { 'aria-labelledby': 'memory-heading' },
        h('h2', { id: 'memory-heading' }, 'Memory per dyno'),
        measured.length ? memorySections(measured) : h('p', { class: 'empty' }, 'Nothing measured yet: memory appears once a dyno has run for a few seconds.')),
      sleepSection(memory.events ?? []));
  }, report);
}

function routerSections(minutes) {
  if (minutes.length === 0) {
    return h('p', { class: 'empty' }, 'No data yet: metrics appear once the app has served requests through the router.');
  }
  return [
    h('section', { 'aria-labelledby': 'requests-heading' },
      h('h2', { id: 'requests-heading' }, 'Requests per minute'),
      legend(statusSeries.map(([, className], i) => [className, ['2xx', '3xx', '4xx', '5xx'][i]])),
      stackedBars('Requests per minute by status class', minutes, statusSeries)),
    h('section', { 'aria-labelledby': 'latency-heading' },
      h('h2', { id: 'latency-heading' }, 'Service time (ms)'),
      legend(latencySeries.map(([, className], i) => [className, ['p50', 'p95', 'p99'][i]])),
      lines('Service time percentiles in milliseconds', minutes, latencySeries)),
    summaryTable(minutes),
  ];
}

/** The same numbers as a table, for screen readers and exact values. */
function summaryTable(minutes) {
  const recent = minutes.slice(-10).reverse();
  return h('details', {}, h('summary', {}, 'Last 10 minutes as a table'), h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Minute', 'Requests', '2xx', '3xx', '4xx', '5xx', 'p50', 'p95', 'p99'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, recent.map((m) => h('tr', {},
      h('th', { scope: 'row' }, new Date(m.at).toISOString().slice(11, 16)),
      [m.requests, m.status_2xx, m.status_3xx, m.status_4xx, m.status_5xx, m.p50_ms, m.p95_ms, m.p99_ms].map((v) => h('td', {}, v ?? '—'))))))));
}
