// Live logs with source and dyno filters, pause, and a search through the stored history.
import { appHeader } from '../app-nav.js';
import { history, tail } from '../log-stream.js';
import { act, field, fill, h, status } from '../ui.js';

const shownLines = 2000;
const historyLines = 10000;

export function renderLogs(main, signal, name) {
  const report = status();
  const source = h('select', { name: 'source' },
    h('option', { value: '' }, 'All sources'), h('option', { value: 'app' }, 'app (your dynos and the API)'), h('option', { value: 'heroku' }, 'heroku (router and platform)'));
  const dyno = h('input', { name: 'dyno', placeholder: 'web.1, router, api…', autocomplete: 'off', spellcheck: 'false' });
  const pause = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, 'Pause');
  const output = h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Live log lines', 'aria-live': 'off' });
  const query = h('input', { type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false', required: true });
  const results = h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Search results', hidden: true });
  const resultReport = status();

  let paused = [];
  let following = null;
  signal.addEventListener('abort', () => following?.abort());
  const filter = () => ({ source: source.value || undefined, dyno: dyno.value.trim() || undefined });
  const append = (line) => {
    if (pause.getAttribute('aria-pressed') === 'true') {
      paused.push(line);
      pause.textContent = `Resume (${paused.length} new)`;
      return;
    }
    writeLines(output, [line]);
  };
  // A log session's signed URL expires; when its stream closes, a new session continues without repeating the backlog.
  const resume = () => {
    report.progress('The log stream ended; starting a new one…');
    setTimeout(() => { if (!signal.aborted) follow(0); }, 2000);
  };
  const follow = async (backlog = 100) => {
    following?.abort();
    const current = following = new AbortController();
    if (backlog > 0) fill(output);
    report.progress('Connecting to the log stream…');
    try {
      await tail(name, { ...filter(), lines: backlog }, append, (state) => {
        if (state === 'live') report.done('Live: new lines appear as they are written.');
        else if (state === 'reconnecting') report.progress('Connection lost; reconnecting…');
        else resume();
      }, current.signal);
    } catch (error) {
      if (!current.signal.aborted) report.error(error);
    }
  };

  pause.addEventListener('click', () => {
    const pausing = pause.getAttribute('aria-pressed') === 'false';
    pause.setAttribute('aria-pressed', String(pausing));
    pause.textContent = pausing ? 'Resume' : 'Pause';
    if (!pausing) {
      writeLines(output, paused);
      paused = [];
    }
  });
  const filters = h('form', { class: 'inline-form', 'aria-label': 'Log filters' },
    field('Source', source), field('Dyno', dyno), h('button', { type: 'submit' }, 'Apply filters'), pause);
  filters.addEventListener('submit', (event) => { event.preventDefault(); follow(); });
  source.addEventListener('change', () => follow());

  const search = h('form', { class: 'inline-form', role: 'search', 'aria-label': 'Search the log history' },
    field('Search the history', query, `Looks through the last ${historyLines.toLocaleString('en')} stored lines, with the filters above.`),
    h('button', { type: 'submit' }, 'Search'));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    act(search.querySelector('button'), resultReport, 'Searching the history…', async () => {
      const needle = query.value.toLowerCase();
      const found = (await history(name, filter(), historyLines)).filter((l) => l.toLowerCase().includes(needle));
      results.hidden = found.length === 0;
      fill(results);
      writeLines(results, found);
      return found.length ? `${found.length} matching line${found.length === 1 ? '' : 's'}.` : `No line contains “${query.value}”. Widen the filters or try another word.`;
    });
  });

  main.append(appHeader(name, '/logs'), filters, report.element, output,
    h('section', { 'aria-labelledby': 'search-heading' }, h('h2', { id: 'search-heading' }, 'Search'), search, resultReport.element, results));
  return follow();
}

/** Appends lines, keeps the view bounded, and stays scrolled to the bottom when it was. */
function writeLines(output, lines) {
  const atBottom = output.scrollHeight - output.scrollTop - output.clientHeight < 40;
  for (const line of lines) output.append(lineElement(line));
  while (output.childElementCount > shownLines) output.firstElementChild.remove();
  if (atBottom) output.scrollTop = output.scrollHeight;
}

function lineElement(line) {
  const match = /^(\S+) (\w+)\[([^\]]+)\]: (.*)$/.exec(line);
  if (!match) return h('div', {}, line);
  const [, at, source, dyno, message] = match;
  return h('div', { class: `log-line source-${source}` },
    h('span', { class: 'at' }, at), ' ', h('span', { class: 'who' }, `${source}[${dyno}]:`), ' ', message);
}
