// Router metrics per minute: requests by status class and service-time percentiles.
import { api, appPath } from '../api.js';
import { appHeader } from '../app-nav.js';
import { lines, stackedBars } from '../chart.js';
import { every, fill, h, status } from '../ui.js';

const statusSeries = [['status_2xx', 's2xx'], ['status_3xx', 's3xx'], ['status_4xx', 's4xx'], ['status_5xx', 's5xx']];
const latencySeries = [['p50_ms', 'p50'], ['p95_ms', 'p95'], ['p99_ms', 'p99']];

export async function renderMetrics(main, signal, name) {
  const report = status();
  const charts = h('div');
  main.append(appHeader(name, '/metrics'), report.element, charts);
  await every(30000, signal, async () => {
    // An older slipwayd has no metrics endpoint: that is "no data yet", not an error.
    const metrics = await api(appPath(name, '/router-metrics'), { allow: [404] });
    const minutes = metrics.minutes ?? [];
    if (minutes.length === 0) {
      fill(charts, h('p', { class: 'empty' }, 'No data yet: metrics appear once the app has served requests through the router.'));
      return;
    }
    fill(charts,
      h('section', { 'aria-labelledby': 'requests-heading' },
        h('h2', { id: 'requests-heading' }, 'Requests per minute'),
        legend(statusSeries, ['2xx', '3xx', '4xx', '5xx']),
        stackedBars('Requests per minute by status class', minutes, statusSeries)),
      h('section', { 'aria-labelledby': 'latency-heading' },
        h('h2', { id: 'latency-heading' }, 'Service time (ms)'),
        legend(latencySeries, ['p50', 'p95', 'p99']),
        lines('Service time percentiles in milliseconds', minutes, latencySeries)),
      summaryTable(minutes));
  }, report);
}

function legend(series, labels) {
  return h('ul', { class: 'legend' }, series.map(([, className], i) => h('li', {}, h('span', { class: `swatch ${className}`, 'aria-hidden': 'true' }), labels[i])));
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
