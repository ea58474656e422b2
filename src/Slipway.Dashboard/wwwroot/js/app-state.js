// An app's state as the apps list shows it, derived from what the API reports about its builds and dynos.
const oneOffTypes = new Set(['run', 'release']);

/** building, crashed, sleeping, up, starting, or "no dynos". */
export function appState(dynos, builds) {
  if (builds.some((b) => b.status === 'pending')) return 'building';
  const formation = dynos.filter((d) => !oneOffTypes.has(d.type));
  if (formation.some((d) => d.state === 'crashed')) return 'crashed';
  if (formation.length > 0 && formation.every((d) => d.state === 'idle')) return 'sleeping';
  if (formation.some((d) => d.state === 'up')) return 'up';
  if (formation.some((d) => d.state === 'starting')) return 'starting';
  return 'no dynos';
}
