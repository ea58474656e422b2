// The page's router: the URL fragment names the view (#/apps/NAME/logs), so the server serves one page for all.
import { api } from './api.js';
import { session } from './session.js';
import { fill, h } from './ui.js';
import { renderSignIn } from './pages/sign-in.js';
import { renderApps } from './pages/apps.js';
import { renderOverview } from './pages/overview.js';
import { renderActivity } from './pages/activity.js';
import { renderSettings } from './pages/settings.js';
import { renderLogs } from './pages/logs.js';
import { renderMetrics } from './pages/metrics.js';
import { renderQuota } from './pages/quota.js';
import { renderStorage } from './pages/storage.js';

const routes = [
  [/^#\/sign-in$/, renderSignIn],
  [/^#\/apps$/, renderApps],
  [/^#\/apps\/([^/]+)$/, renderOverview],
  [/^#\/apps\/([^/]+)\/activity$/, renderActivity],
  [/^#\/apps\/([^/]+)\/settings$/, renderSettings],
  [/^#\/apps\/([^/]+)\/logs$/, renderLogs],
  [/^#\/apps\/([^/]+)\/metrics$/, renderMetrics],
  [/^#\/apps\/([^/]+)\/storage$/, renderStorage],
  [/^#\/quota$/, renderQuota],
];

const main = document.getElementById('main');
let leaving = new AbortController();

async function show() {
  leaving.abort(); // stops the previous view's timers and streams
  const current = leaving = new AbortController();
  const signedIn = Boolean(session.token());
  if (!signedIn && location.hash !== '#/sign-in') {
    location.replace('#/sign-in');
    return;
  }
  if (signedIn && (location.hash === '#/sign-in' || !routes.some(([pattern]) => pattern.test(location.hash)))) {
    location.replace('#/apps');
    return;
  }

  document.getElementById('account-nav').hidden = !signedIn;
  if (signedIn) showAccount();
  const [pattern, render] = routes.find(([p]) => p.test(location.hash));
  const parameters = location.hash.match(pattern).slice(1).map(decodeURIComponent);
  fill(main);
  try {
    await render(main, current.signal, ...parameters);
  } catch (error) {
    if (!current.signal.aborted) fill(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'status error', role: 'alert' }, error.message));
  }
  if (current.signal.aborted) return; // the reader moved on while this view loaded: the next one owns the page
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · Slipway` : 'Slipway';
  // Keyboard and screen-reader users start at the new view, unless the view focused a field itself.
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

let shownAccount = null;
async function showAccount() {
  if (shownAccount === session.token()) return;
  shownAccount = session.token();
  try {
    const account = await api('/account');
    if (shownAccount === session.token()) document.getElementById('who').textContent = account.email;
  } catch {
    shownAccount = null;
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.clear();
  shownAccount = null;
  document.getElementById('who').textContent = '';
  location.hash = '#/sign-in';
});
window.addEventListener('slipway:signed-out', () => { shownAccount = null; location.hash = '#/sign-in'; });
window.addEventListener('hashchange', show);
show();
