// Entry point: sign-in, the application shell (navigation, account, sign-out) and hash routing.
// Routes carry no secrets: #/targets, #/targets/{targetId}, #/numbers and #/api-keys.
import { h, icon, uid, setChildren } from './dom.js';
import { api, session, onUnauthorized } from './api.js';
import { toast, errorMessage } from './ui.js';
import { renderTargetList } from './targets.js';
import { renderTargetDetail } from './target-detail.js';
import { renderApiKeys } from './api-keys.js';
import { renderNumbers } from './numbers.js';

const app = document.getElementById('app');
const BASE_TITLE = 'Pons';

// The Account Settings pages: the navigation and the breadcrumb follow the route's section.
const SECTIONS = {
  webhooks: { label: 'Webhook Forwarding', href: '#/targets', icon: 'webhook', test: 'nav-webhooks' },
  numbers: { label: 'Phone numbers', href: '#/numbers', icon: 'phone', test: 'nav-numbers' },
  keys: { label: 'API keys', href: '#/api-keys', icon: 'key', test: 'nav-api-keys' },
};

const ctx = {
  account: null,
  numbers: [],
  section: SECTIONS.webhooks,
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  setTitle(title) {
    const section = ctx.section.label;
    document.title = title ? `${title} · ${section} · ${BASE_TITLE}` : `${section} · ${BASE_TITLE}`;
  },
  signOut(notice) {
    signOut(notice);
  },
};

let mainEl = null;
let crumbEl = null;
let routeSeq = 0;

// ---- sign-in ----------------------------------------------------------------------------------

function logo() {
  return h('span', { class: 'logo', 'aria-hidden': 'true' },
    h('span', { class: 'logo-mark' }, icon('webhook')));
}

function renderSignIn(notice) {
  document.title = `Sign in · ${BASE_TITLE}`;
  const inputId = uid('api-key');
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const input = h('input', {
    id: inputId, name: 'apiKey', type: 'password', class: 'input input-mono', required: true,
    autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    'aria-describedby': `${hintId} ${errorId}`, 'data-test': 'api-key',
  });
  const reveal = h('button', {
    type: 'button', class: 'input-addon', 'aria-pressed': 'false', 'aria-controls': inputId,
    'data-test': 'reveal-key',
  }, icon('eye'), h('span', { class: 'sr-only' }, 'Show API key'));
  reveal.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    reveal.setAttribute('aria-pressed', String(show));
    input.focus();
  });
  const error = h('p', { id: errorId, class: 'field-error', role: 'alert', hidden: !notice, 'data-test': 'sign-in-error' }, notice || '');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-test': 'sign-in' }, 'Sign in');

  const form = h('form', { class: 'signin-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: inputId, class: 'label' }, 'Account API key'),
      h('div', { class: 'input-with-addon' }, input, reveal),
      h('p', { id: hintId, class: 'field-hint' }, 'Kept in this browser tab only, and cleared when you sign out or close the tab.'),
      error),
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    if (!key) {
      error.textContent = 'Paste your account API key.';
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.classList.add('is-busy');
    submit.setAttribute('aria-busy', 'true');
    try {
      const account = await api.accountFor(key);
      session.store(key);
      input.value = '';
      await enter(account);
    } catch (err) {
      error.textContent = err.status === 401 || err.status === 403
        ? 'That API key was not accepted.'
        : errorMessage(err);
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      input.select();
    } finally {
      submit.disabled = false;
      submit.classList.remove('is-busy');
      submit.removeAttribute('aria-busy');
    }
  });

  setChildren(app, h('main', { class: 'signin', id: 'main' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'signin-brand' }, logo(), h('span', { class: 'brand-name' }, 'Pons')),
      h('h1', { class: 'signin-title' }, 'Sign in to your account'),
      h('p', { class: 'signin-lede' }, 'Manage where your WhatsApp Business events are forwarded.'),
      form),
    h('p', { class: 'signin-footnote' },
      'No key? Your operator creates accounts and hands out their API keys.')));
  mainEl = null;
  app.removeAttribute('aria-busy');
  input.focus();
}

// ---- shell ------------------------------------------------------------------------------------

function signOut(notice) {
  session.clear();
  ctx.account = null;
  ctx.numbers = [];
  document.querySelectorAll('dialog[open]').forEach((d) => d.close());
  renderSignIn(notice);
}

function renderShell() {
  const signOutButton = h('button', { type: 'button', class: 'btn btn-ghost btn-sm signout', 'data-test': 'sign-out' },
    icon('signOut'), 'Sign out');
  signOutButton.addEventListener('click', () => {
    signOut();
    toast('You are signed out.', { tone: 'info' });
  });

  mainEl = h('main', { id: 'main', class: 'content', tabindex: -1 });
  const skip = h('a', { href: '#main', class: 'skip-link' }, 'Skip to content');
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    const heading = mainEl.querySelector('h1');
    (heading || mainEl).focus();
  });

  setChildren(app,
    skip,
    h('div', { class: 'shell' },
      h('header', { class: 'sidebar' },
        h('div', { class: 'brand' }, logo(), h('span', { class: 'brand-name' }, 'Pons')),
        h('div', { class: 'account-box', 'data-test': 'account' },
          h('span', { class: 'account-avatar', 'aria-hidden': 'true' }, (ctx.account.name || '?').trim().charAt(0).toUpperCase()),
          h('span', { class: 'account-text' },
            h('span', { class: 'account-name', 'data-test': 'account-name' }, ctx.account.name),
            h('span', { class: 'account-id mono' }, ctx.account.id))),
        h('nav', { class: 'nav', 'aria-label': 'Main' },
          h('p', { class: 'nav-section', id: 'nav-settings' }, icon('settings'), 'Account Settings'),
          h('ul', { 'aria-labelledby': 'nav-settings' },
            Object.entries(SECTIONS).map(([key, section]) => h('li', null, h('a', {
              href: section.href, class: 'nav-link', 'data-section': key, 'data-test': section.test,
            }, icon(section.icon), section.label))))),
        h('div', { class: 'sidebar-foot' }, signOutButton)),
      h('div', { class: 'main-col' },
        h('div', { class: 'topbar' },
          h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' },
            h('ol', null,
              h('li', null, 'Account Settings'),
              h('li', null, crumbEl = h('a', { href: '#/targets' }, 'Webhook Forwarding'))))),
        mainEl)));
}

function showSection(key) {
  ctx.section = SECTIONS[key];
  document.querySelectorAll('.nav-link[data-section]').forEach((link) => {
    if (link.dataset.section === key) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  if (crumbEl) {
    crumbEl.textContent = ctx.section.label;
    crumbEl.setAttribute('href', ctx.section.href);
  }
}

// ---- routing ----------------------------------------------------------------------------------

function parseRoute() {
  const hash = location.hash || '#/targets';
  if (hash === '#/api-keys') return { name: 'keys' };
  if (hash === '#/numbers') return { name: 'numbers' };
  const m = /^#\/targets\/([^/?#]+)$/.exec(hash);
  if (m) return { name: 'detail', id: decodeURIComponent(m[1]) };
  return { name: 'list' };
}

async function route({ focus = true } = {}) {
  if (!ctx.account) return;
  if (!location.hash.startsWith('#/')) {
    if (!location.hash) history.replaceState(null, '', '#/targets');
    else return; // in-page anchors such as the skip link
  }
  routeSeq += 1;
  const seq = routeSeq;
  if (!mainEl || !mainEl.isConnected) renderShell();
  const view = h('div', { class: 'view' });
  setChildren(mainEl, view);
  window.scrollTo(0, 0);
  const r = parseRoute();
  showSection(r.name === 'keys' || r.name === 'numbers' ? r.name : 'webhooks');
  ctx.setTitle(null);
  if (r.name === 'detail') await renderTargetDetail(ctx, view, r.id);
  else if (r.name === 'keys') await renderApiKeys(ctx, view);
  else if (r.name === 'numbers') await renderNumbers(ctx, view);
  else await renderTargetList(ctx, view);
  if (seq !== routeSeq || !focus) return;
  const heading = view.querySelector('h1');
  if (heading && !document.querySelector('dialog[open]')) heading.focus({ preventScroll: true });
}

async function enter(account) {
  ctx.account = account;
  try {
    ctx.numbers = await api.numbers(account.id);
  } catch (err) {
    ctx.numbers = [];
    if (err.status !== 401) toast(`Couldn't load your phone numbers: ${errorMessage(err)}`, { tone: 'danger' });
  }
  if (!ctx.account) return;
  renderShell();
  app.removeAttribute('aria-busy');
  await route({ focus: true });
}

onUnauthorized(() => {
  if (ctx.account) signOut('Your API key is no longer accepted. Sign in again.');
});

window.addEventListener('hashchange', () => route());

async function boot() {
  if (!session.apiKey) {
    renderSignIn();
    return;
  }
  try {
    const account = await api.account();
    await enter(account);
  } catch (err) {
    if (err.status === 401 || err.status === 403) {
      session.clear();
      renderSignIn('That API key was not accepted.');
    } else {
      renderSignIn(errorMessage(err));
    }
  }
}

boot();
