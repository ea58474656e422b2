// Builds with their output, and releases with one-click rollback.
import { api, appPath, releases, sameOrigin, send } from '../api.js';
import { appHeader } from '../app-nav.js';
import { act, badge, every, fill, h, refill, status, time } from '../ui.js';

export async function renderActivity(main, signal, name) {
  const report = status();
  const releaseList = h('ol', { class: 'activity', 'aria-label': 'Releases, newest first' });
  const buildList = h('ol', { class: 'activity', 'aria-label': 'Builds, newest first' });
  main.append(
    appHeader(name, '/activity'),
    report.element,
    h('section', { 'aria-labelledby': 'releases-heading' }, h('h2', { id: 'releases-heading' }, 'Releases'), releaseList),
    h('section', { 'aria-labelledby': 'builds-heading' }, h('h2', { id: 'builds-heading' }, 'Builds'), buildList));

  const refresh = async () => {
    const [list, builds] = await Promise.all([releases(name, 25), api(appPath(name, '/builds'))]);
    refill(releaseList, list.length ? list.map((r) => releaseItem(name, r, report, refresh)) : h('li', { class: 'muted' }, 'No releases yet.'));
    // Rebuilding the build list would close an open log; only add builds not shown yet and update statuses.
    for (const build of builds) showBuild(buildList, build, signal); // oldest first: each new one is prepended
  };
  await every(5000, signal, refresh, report);
}

function releaseItem(app, release, report, refresh) {
  const item = h('li', { 'data-release': release.version },
    h('div', { class: 'line' },
      h('strong', {}, `v${release.version}`), ' ', release.description, ' ',
      release.current ? h('span', { class: 'badge state-current' }, 'current') : null,
      release.status !== 'succeeded' ? badge(release.status) : null),
    h('div', { class: 'muted' }, release.user?.email ?? '', ' · ', time(release.created_at)));
  if (release.eligible_for_rollback && !release.current) {
    const rollback = h('button', { type: 'button', class: 'secondary small' }, `Roll back to v${release.version}`);
    rollback.addEventListener('click', () => act(rollback, report, `Rolling back to v${release.version}…`, async () => {
      const created = await api(appPath(app, '/releases'), { method: 'POST', body: { release: release.id } });
      await refresh();
      return `Rolled back to v${release.version}: release v${created.version} is deploying.`;
    }));
    item.append(rollback);
  }
  return item;
}

function showBuild(list, build, signal) {
  const existing = list.querySelector(`[data-build="${CSS.escape(build.id)}"]`);
  if (existing) {
    fill(existing.querySelector('.build-status'), badge(build.status === 'pending' ? 'building' : build.status));
    if (build.failure_message && !existing.querySelector('.status.error')) existing.querySelector('.line').after(failure(build));
    return;
  }
  const output = h('pre', { class: 'build-output', hidden: true, tabindex: 0, 'aria-label': 'Build output' });
  const toggle = h('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false' }, 'Show build log');
  toggle.addEventListener('click', () => {
    const opening = output.hidden;
    output.hidden = !opening;
    toggle.setAttribute('aria-expanded', String(opening));
    toggle.textContent = opening ? 'Hide build log' : 'Show build log';
    if (opening && !output.dataset.loaded) {
      output.dataset.loaded = 'true';
      streamOutput(build.output_stream_url, output, signal);
    }
  });
  list.prepend(h('li', { 'data-build': build.id },
    h('div', { class: 'line' }, h('span', { class: 'build-status' }, badge(build.status === 'pending' ? 'building' : build.status)), ' ',
      build.source_blob?.version ? h('code', {}, build.source_blob.version.slice(0, 12)) : 'Build', ' by ', build.user?.email ?? 'unknown', ' · ', time(build.created_at)),
    build.failure_message ? failure(build) : null,
    toggle, output));
}

const failure = (build) => h('p', { class: 'status error' }, build.failure_message);

/** Reads the build output as it arrives: a running build streams line by line. */
async function streamOutput(url, output, signal) {
  output.textContent = 'Loading the build output…\n';
  try {
    const response = await send(sameOrigin(url), { signal });
    if (!response.ok) throw new Error(response.status === 404 ? 'This build left no output.' : 'The build output could not be read. Reload the page to get a fresh link.');
    output.textContent = '';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      output.append(value);
    }
  } catch (error) {
    if (!signal.aborted) output.textContent = error.message;
  }
}
