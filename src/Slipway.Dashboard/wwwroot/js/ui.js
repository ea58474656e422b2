// Small DOM helpers. Text always goes in as text nodes, never as HTML, so API data cannot inject markup.

/** Builds an element: attributes (on* as listeners, booleans as presence), then children (strings, nodes, arrays, null). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Replaces content that a poll redraws, keeping keyboard focus on the same control (same tag and label) if it is still there. */
export function refill(element, ...children) {
  const focused = element.contains(document.activeElement) ? controlKey(document.activeElement) : null;
  fill(element, ...children);
  if (focused) [...element.querySelectorAll('a, button, input, select')].find((c) => controlKey(c) === focused)?.focus();
  return element;
}

const controlKey = (control) => `${control.tagName}|${control.getAttribute('aria-label') ?? control.textContent}`;

/** How long ago an ISO time was, shortly: "42s", "3m", "5h", "2d". */
export function age(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

const ago = (iso, now) => `${age(iso, now)} ago`;

/** A <time> element showing an age, with the exact UTC time as its title. */
export function time(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, ago(iso)) : h('span', { class: 'muted' }, 'never');
}

/** A state badge: the word is always shown, colour only repeats it. */
export function badge(state) {
  return h('span', { class: `badge state-${state.replace(/\s+/g, '-')}` }, state);
}

/** A live region that reports an action's progress, result or error (with what to do next). */
export function status() {
  const element = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  return {
    element,
    progress(text) { element.className = 'status progress'; element.textContent = text; },
    done(text) { element.className = 'status done'; element.textContent = text; },
    error(error) { element.className = 'status error'; element.textContent = error.message ?? String(error); },
    clear() { element.className = 'status'; element.textContent = ''; },
  };
}

/** Runs an action from a control: disables it, shows progress, then the result or the error. */
export async function act(control, report, progressText, action) {
  control.disabled = true;
  control.setAttribute('aria-busy', 'true');
  report.progress(progressText);
  try {
    const done = await action();
    if (typeof done === 'string') report.done(done);
    else report.clear();
    return true;
  } catch (error) {
    report.error(error);
    return false;
  } finally {
    control.disabled = false;
    control.removeAttribute('aria-busy');
  }
}

/** Calls fn now and every `ms` until the page is left, skipping while the tab is hidden (the API budget is per account). */
export function every(ms, signal, fn, report) {
  let timer;
  let first = true;
  const tick = async () => {
    try {
      if (first || !document.hidden) await fn();
    } catch (error) {
      report?.error(error);
    }
    first = false;
    if (!signal.aborted) timer = setTimeout(tick, ms);
  };
  signal.addEventListener('abort', () => clearTimeout(timer));
  return tick();
}

/** A labelled form field; the label is a real <label for>, so screen readers and clicks find the input. */
export function field(labelText, input, hint) {
  input.id ||= `field-${Math.random().toString(36).slice(2, 9)}`;
  const hintElement = hint ? h('small', { id: `${input.id}-hint`, class: 'muted' }, hint) : null;
  if (hintElement) input.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: input.id }, labelText), input, hintElement);
}
