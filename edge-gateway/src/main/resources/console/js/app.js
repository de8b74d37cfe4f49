// The console's shell: sign-in, the hash router (#/section/name), timers that stop when the view changes, and the
// one place errors reach the page.
import { api, session, validAuth, ApiError } from './api.js';
import { h, fill, banner } from './dom.js';
import * as actions from './actions.js';
import * as activations from './activations.js';
import * as entities from './entities.js';
import * as fleet from './fleet.js';

const view = () => document.getElementById('view');
let timers = [];
let generation = 0;

/** What a view may use: guard a promise (errors go to the banner), repeat work while it is shown, reload. */
function context(gen) {
  return {
    async guard(promise, onError) {
      try {
        return await promise;
      } catch (e) {
        if (gen === generation) {
          banner.show(e);
          if (onError) {
            onError(e);
          }
        }
        return null;
      }
    },
    every(millis, work) {
      let busy = false;
      timers.push(setInterval(async () => {
        if (busy || gen !== generation || document.hidden) {
          return;
        }
        busy = true;
        try {
          await work();
        } finally {
          busy = false;
        }
      }, millis));
    },
    reload: () => route(),
  };
}

function signInView() {
  const auth = h('input', { id: 'auth', type: 'password', autocomplete: 'off', required: true,
    placeholder: 'uuid:key', spellcheck: 'false' });
  const button = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  fill(view(), h('form', { class: 'card sign-in', 'data-testid': 'sign-in', onsubmit: async e => {
    e.preventDefault();
    banner.clear();
    const value = auth.value.trim();
    if (!validAuth(value)) {
      banner.show(new ApiError(0, 'Credentials are written uuid:key, as `./wisp admin user create` prints them.', null));
      return;
    }
    button.disabled = true;
    try {
      const namespaces = await api.namespaces(value);
      session.signIn(value);
      session.setNamespace((namespaces && namespaces[0]) || '');
      if (location.hash.length > 2) {
        route();
      } else {
        location.hash = '#/actions'; // routes on hashchange
      }
    } catch (err) {
      banner.show(err);
    } finally {
      button.disabled = false;
    }
  } },
  h('h1', {}, 'Sign in to Wisp'),
  h('p', { class: 'muted' }, 'Your credentials (uuid:key) stay in this tab’s session storage and go only to this'
    + ' gateway’s API.'),
  h('label', { class: 'block' }, 'Credentials', auth),
  h('div', { class: 'actions-row' }, button)));
  auth.focus();
}

async function route() {
  generation++;
  timers.forEach(clearInterval);
  timers = [];
  const signedIn = Boolean(session.auth());
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  if (!signedIn) {
    signInView();
    return;
  }
  fill(document.getElementById('namespace'), session.namespace() || '');
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const section = parts[0] || 'actions';
  const name = parts.slice(1).join('/');
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.section === section);
  }
  const gen = generation;
  const ctx = context(gen);
  // each visit renders into a page of its own: a slower earlier visit that finishes late fills a detached page
  const el = h('div', { class: 'page' }, h('p', { class: 'muted' }, 'loading…'));
  fill(view(), el);
  banner.clear();
  try {
    switch (section) {
      case 'actions':
        await (name ? actions.detail(el, name, ctx) : actions.list(el));
        break;
      case 'activations':
        await (name ? activations.detail(el, name) : activations.list(el, ctx));
        break;
      case 'triggers':
      case 'rules':
      case 'packages':
        await (name ? entities.detail(el, section, name) : entities.list(el, section));
        break;
      case 'fleet':
        await fleet.show(el, ctx);
        break;
      default:
        fill(el, h('p', {}, 'There is no such page. '), h('a', { href: '#/actions' }, 'Go to the actions.'));
    }
  } catch (e) {
    if (gen !== generation) {
      return;
    }
    fill(el);
    banner.show(e);
    if (e instanceof ApiError && e.status === 401) {
      session.signOut();
      signInView();
    }
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
route();
