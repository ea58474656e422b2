// Small SVG charts, drawn from data with presentation attributes only (the page's CSP forbids inline styles).
import { h } from './ui.js';

const svgNs = 'http://www.w3.org/2000/svg';
const width = 640;
const height = 200;
const pad = { left: 44, right: 8, top: 8, bottom: 24 };

function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
  element.append(...children);
  return element;
}

/** The chart's box, grid and time axis; y labels only for a positive max. */
function frame(label, max, points) {
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' });
  const plotHeight = height - pad.top - pad.bottom;
  for (const fraction of [0, 0.5, 1]) {
    const y = pad.top + plotHeight * (1 - fraction);
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }));
    if (max > 0) svg.append(s('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, formatNumber(max * fraction)));
  }
  if (points.length > 0) {
    svg.append(s('text', { x: pad.left, y: height - 6, class: 'axis' }, clock(points[0].at)),
      s('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'axis' }, clock(points[points.length - 1].at)));
  }
  return { svg, plotHeight, plotWidth: width - pad.left - pad.right };
}

/** Stacked bars, one per minute, one colour class per series. */
export function stackedBars(label, points, series) {
  const max = Math.max(1, ...points.map((p) => series.reduce((sum, [key]) => sum + (p[key] ?? 0), 0)));
  const { svg, plotHeight, plotWidth } = frame(label, max, points);
  const barWidth = plotWidth / Math.max(points.length, 1);
  points.forEach((point, i) => {
    let base = 0;
    for (const [key, className] of series) {
      const value = point[key] ?? 0;
      if (value === 0) continue;
      const barHeight = (value / max) * plotHeight;
      const y = pad.top + plotHeight - base - barHeight;
      svg.append(s('rect', { x: pad.left + i * barWidth + 1, y, width: Math.max(barWidth - 2, 1), height: barHeight, class: className },
        s('title', {}, `${clock(point.at)} ${key}: ${value}`)));
      base += barHeight;
    }
  });
  return svg;
}

/** One polyline per series, and a dashed horizontal line per threshold ([value, className, title], e.g. a quota). */
export function lines(label, points, series, thresholds = []) {
  const max = Math.max(1, ...points.flatMap((p) => series.map(([key]) => p[key] ?? 0)), ...thresholds.map(([value]) => value * 1.1));
  const { svg, plotHeight, plotWidth } = frame(label, max, points);
  const start = points.length ? Date.parse(points[0].at) : 0;
  const span = points.length ? Math.max(Date.parse(points[points.length - 1].at) - start, 1) : 1;
  const x = (p) => pad.left + ((Date.parse(p.at) - start) / span) * plotWidth;
  for (const [key, className] of series) {
    // Placed by time, one polyline per run of consecutive minutes: a gap (no traffic, a dyno asleep) stays a gap.
    for (const run of consecutiveRuns(points)) {
      const y = (p) => pad.top + plotHeight - ((p[key] ?? 0) / max) * plotHeight;
      svg.append(run.length === 1
        ? s('circle', { cx: x(run[0]), cy: y(run[0]), r: 2.5, class: className, fill: 'none' }, s('title', {}, key))
        : s('polyline', { points: run.map((p) => `${x(p)},${y(p)}`).join(' '), class: className, fill: 'none' }, s('title', {}, key)));
    }
  }
  for (const [value, className, title] of thresholds) {
    const y = pad.top + plotHeight - (value / max) * plotHeight;
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: className }, s('title', {}, title)));
  }
  return svg;
}

/** Events on a time line from `from` to `to` (ISO times): one tick per event, its class and title from kinds[event.kind]. */
export function timeline(label, events, from, to, kinds) {
  const { svg, plotHeight, plotWidth } = frame(label, 0, [{ at: from }, { at: to }]);
  const start = Date.parse(from);
  const span = Math.max(Date.parse(to) - start, 1);
  for (const event of events) {
    const [className, title] = kinds[event.kind](event);
    const x = pad.left + ((Date.parse(event.at) - start) / span) * plotWidth;
    const half = event.kind === 'wake' ? 0 : plotHeight / 2;
    svg.append(s('rect', { x: x - 1.5, y: pad.top + half, width: 3, height: plotHeight / 2, class: className },
      s('title', {}, `${clock(event.at)} ${title}`)));
  }
  return svg;
}

/** Points split where more than a minute passes between two of them. */
function consecutiveRuns(points) {
  const runs = [];
  points.forEach((point, i) => {
    if (i === 0 || Date.parse(point.at) - Date.parse(points[i - 1].at) > 60000) runs.push([]);
    runs[runs.length - 1].push(point);
  });
  return runs;
}

/** The key of a chart: [className, label] pairs, the colour only repeating the label. */
export function legend(entries) {
  return h('ul', { class: 'legend' }, entries.map(([className, label]) => h('li', {}, h('span', { class: `swatch ${className}`, 'aria-hidden': 'true' }), label)));
}

function clock(iso) {
  return new Date(iso).toISOString().slice(11, 16);
}

function formatNumber(n) {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n));
}
