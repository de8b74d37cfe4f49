// The operators' view (with the admin token): invokers and controllers, refreshing.
import { api, session } from './api.js';
import { h, fill, table, ms } from './dom.js';

function meter(used, total) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  return h('div', { class: 'meter', title: `${used} of ${total} MB` },
    h('div', { class: 'meter-fill', dataset: { share: share.toFixed(2) } }),
    h('span', {}, `${used} / ${total} MB`));
}

function stateBadge(state) {
  return h('span', { class: `badge state-${state}` }, state);
}

/** Asks for the admin token; a refused one comes back here with the API's error in the banner. */
function askForToken(view, ctx) {
  const token = h('input', { id: 'admin-token', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'controller.admin.token' });
  fill(view, h('div', { class: 'heading' }, h('h1', {}, 'Fleet')),
    h('form', { class: 'card narrow-card', onsubmit: e => {
      e.preventDefault();
      session.setAdminToken(token.value.trim());
      ctx.reload();
    } },
    h('p', {}, 'The fleet is the operators’ view. Enter the admin token the controllers were started with.'),
    h('label', { class: 'block' }, 'Admin token', token),
    h('div', { class: 'actions-row' }, h('button', { type: 'submit', id: 'admin-sign-in' }, 'Show the fleet'))));
}

export async function show(view, ctx) {
  if (!session.adminToken()) {
    askForToken(view, ctx);
    return;
  }
  const invokers = h('div', { id: 'invokers' });
  const controllers = h('div', { id: 'controllers' });
  const stamp = h('span', { class: 'muted', role: 'status' });
  async function refresh() {
    if (!session.adminToken()) {
      return;
    }
    const fleet = await ctx.guard(api.fleet(), e => {
      if (e.status === 401 || e.status === 403) {
        session.setAdminToken(null);
        askForToken(view, ctx);
      }
    });
    if (!fleet) {
      return;
    }
    fill(invokers, table(['invoker', 'name', 'state', 'memory used', 'free', 'containers', 'backlog', 'heartbeat'],
      fleet.invokers.map(i => [i.id, i.name, stateBadge(i.state), meter(i.usedMb, i.memoryMb), `${i.freeMb} MB`,
        i.containers, i.backlog, `${ms(i.heartbeatAgeMs)} ago`]),
      { empty: 'No invoker has joined.', testid: 'invokers' }));
    fill(controllers, table(['controller', 'host', 'port'], fleet.controllers.map(c => [c.id, c.host, c.port]),
      { empty: 'No live controller.', testid: 'controllers' }));
    for (const bar of invokers.querySelectorAll('.meter-fill')) {
      bar.style.width = `${Number(bar.dataset.share) * 100}%`;
    }
    fill(stamp, `updated ${new Date().toLocaleTimeString()}`);
  }
  fill(view, h('div', { class: 'heading' }, h('h1', {}, 'Fleet'), stamp,
    h('button', { type: 'button', class: 'quiet', onclick: () => { session.setAdminToken(null); ctx.reload(); } },
      'Forget the admin token')),
  h('section', { class: 'card' }, h('h2', {}, 'Invokers'), invokers),
  h('section', { class: 'card' }, h('h2', {}, 'Controllers'), controllers));
  await refresh();
  ctx.every(2000, refresh);
}
