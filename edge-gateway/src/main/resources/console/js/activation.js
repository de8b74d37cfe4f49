// What an activation record says, as people read it: its outcome and where its time went.
import { h, ms } from './dom.js';

export const STATUSES = ['success', 'application error', 'developer error', 'internal error'];

/** The status code of a full activation (response.statusCode) or of a list entry (statusCode). */
export function statusCode(a) {
  if (a.response && typeof a.response.statusCode === 'number') {
    return a.response.statusCode;
  }
  return typeof a.statusCode === 'number' ? a.statusCode : null;
}

export function statusName(a) {
  const code = statusCode(a);
  return code === null ? 'trigger' : (STATUSES[code] || `status ${code}`);
}

export function statusBadge(a) {
  const name = statusName(a);
  return h('span', { class: `badge status-${name.replace(/\s+/g, '-')}` }, name);
}

function annotation(a, key) {
  const found = (a.annotations || []).find(x => x.key === key);
  return found ? found.value : undefined;
}

/**
 * wait: from the request to the container taking it; init: the cold start's /init (absent when warm); run: the
 * rest of the duration, which includes init.
 */
export function timing(a) {
  const wait = annotation(a, 'waitTime');
  const init = annotation(a, 'initTime');
  const duration = typeof a.duration === 'number' ? a.duration
    : (a.end && a.start ? a.end - a.start : undefined);
  const run = duration === undefined ? undefined : Math.max(0, duration - (init || 0));
  return { wait, init, run, duration, cold: init !== undefined };
}

/** The timing as a row of labelled figures. */
export function timingView(a) {
  const t = timing(a);
  const item = (label, value, cls) => h('div', { class: `timing-item ${cls}` },
    h('span', { class: 'label' }, label), h('span', { class: 'value', 'data-timing': cls }, ms(value)));
  return h('div', { class: 'timing', 'data-testid': 'timing' },
    item('wait', t.wait, 'wait'),
    item('init', t.init, 'init'),
    item('run', t.run, 'run'),
    item('duration', t.duration, 'duration'),
    h('span', { class: 'temperature' }, t.cold ? 'cold start' : 'warm'));
}
