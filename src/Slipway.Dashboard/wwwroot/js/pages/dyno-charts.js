// Charts of GET /apps/{app}/dyno-metrics: memory per dyno against its quota (the R14 line), and sleeps and wakes.
import { legend, lines, timeline } from '../chart.js';
import { h } from '../ui.js';

const mib = 1024 * 1024;
const eventKinds = {
  wake: (e) => ['wake', e.ready_ms === null ? 'woke' : `woke, ready in ${e.ready_ms} ms`],
  sleep: () => ['sleep', 'fell asleep'],
};

/** One section per dyno: its highest memory per minute in MiB, with the quota as a dashed line. */
export function memorySections(dynos) {
  return dynos.map((dyno) => {
    const quota = Math.round(dyno.quota_bytes / mib);
    const points = dyno.minutes.map((m) => ({ at: m.at, mib: Math.round(m.max_bytes / mib) }));
    const peak = Math.max(...points.map((p) => p.mib));
    const id = `memory-${dyno.name.replace(/\W/g, '-')}`;
    return h('section', { 'aria-labelledby': id },
      h('h3', { id }, `${dyno.name}: memory (MiB)`),
      h('p', { class: peak > quota ? 'over-quota' : 'muted' },
        `Highest ${peak} MiB of its ${quota} MiB quota${peak > quota ? ': over quota, so it logs R14 and swaps; a smaller footprint or a larger dyno size ends it.' : '.'}`),
      legend([['memory', 'highest per minute'], ['r14', `quota ${quota} MiB (R14 above it)`]]),
      lines(`Memory of ${dyno.name} per minute in MiB, against its ${quota} MiB quota`, points, [['mib', 'memory']], [[quota, 'r14', `R14 above ${quota} MiB`]]));
  });
}

/** Sleeps and wakes of the last six hours on a time line, and the latest of them as a table. */
export function sleepSection(events, now = new Date()) {
  const to = now.toISOString();
  const from = new Date(now.getTime() - 6 * 3600 * 1000).toISOString();
  const recent = events.slice(-10).reverse();
  return h('section', { 'aria-labelledby': 'sleep-heading' },
    h('h2', { id: 'sleep-heading' }, 'Sleeps and wakes'),
    events.length === 0
      ? h('p', { class: 'muted' }, 'No sleeps or wakes in the last six hours: free and eco apps sleep after a while without requests (30 minutes by default).')
      : [legend([['wake', 'wake'], ['sleep', 'sleep']]),
        timeline('Sleeps and wakes over the last six hours', events, from, to, eventKinds),
        h('div', { class: 'table-wrap' }, h('table', {},
          h('caption', { class: 'visually-hidden' }, 'Latest sleeps and wakes'),
          h('thead', {}, h('tr', {}, ['Time (UTC)', 'Event', 'Ready in'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, recent.map((e) => h('tr', {},
            h('th', { scope: 'row' }, e.at.slice(11, 19)), h('td', {}, e.kind), h('td', {}, e.ready_ms === null ? '—' : `${e.ready_ms} ms`))))))]);
}
