// Account Settings → Webhook Forwarding: the list of targets with their health.
import { h, icon, uid, timeEl, formatNumber, setChildren } from './dom.js';
import { api } from './api.js';
import { targetAddress, targetState, pill, eventChip, numbersSummary } from './model.js';
import { toast, toastError } from './ui.js';
import { openTargetForm } from './target-form.js';
import { showSecretDialog } from './secret.js';

/** The enabled switch: a labelled checkbox that PATCHes `enabled` and rolls back on failure. */
export function enabledToggle(ctx, target, { onUpdated } = {}) {
  const id = uid('enabled');
  const input = h('input', {
    id, type: 'checkbox', role: 'switch', class: 'switch', checked: Boolean(target.enabled),
    'data-test': 'enabled-toggle', 'data-target-id': target.id,
  });
  const text = h('span', { class: 'switch-text' }, target.enabled ? 'Enabled' : 'Disabled');
  const label = h('label', { for: id, class: 'switch-label' },
    h('span', { class: 'sr-only' }, `${target.name}: `), text);
  let busy = false;
  input.addEventListener('change', async () => {
    if (busy) {
      // one change at a time: undo the click until the PATCH in flight is answered
      input.checked = !input.checked;
      return;
    }
    const wanted = input.checked;
    // not `disabled`: that would drop keyboard focus from the switch
    busy = true;
    input.setAttribute('aria-busy', 'true');
    input.classList.add('is-pending');
    text.textContent = wanted ? 'Enabling…' : 'Disabling…';
    try {
      const updated = await api.updateTarget(ctx.account.id, target.id, { enabled: wanted });
      Object.assign(target, updated || { enabled: wanted });
      text.textContent = target.enabled ? 'Enabled' : 'Disabled';
      input.checked = Boolean(target.enabled);
      toast(`${target.name} is now ${target.enabled ? 'enabled' : 'disabled'}.`);
      if (onUpdated) onUpdated(target);
    } catch (err) {
      input.checked = !wanted;
      text.textContent = input.checked ? 'Enabled' : 'Disabled';
      toastError(err, `Couldn't ${wanted ? 'enable' : 'disable'} ${target.name}`);
    } finally {
      busy = false;
      input.removeAttribute('aria-busy');
      input.classList.remove('is-pending');
    }
  });
  return h('div', { class: 'switch-wrap' }, input, label);
}

export function disabledBanner(target, action) {
  if (target.enabled || !target.disabledReason) return null;
  return h('div', { class: 'callout callout-danger', role: 'note', 'data-test': 'disabled-reason' },
    icon('alert'),
    h('div', { class: 'callout-body' },
      h('strong', null, 'Disabled automatically'),
      h('p', null, target.disabledReason),
      h('p', { class: 'subtle' }, 'Fix the endpoint, send a test event, then turn it back on.')),
    action || null);
}

function healthLine(target) {
  const failures = target.consecutiveFailures || 0;
  return h('dl', { class: 'health-inline' },
    h('div', null, h('dt', null, 'Last success'), h('dd', null, timeEl(target.lastSuccessAt, { fallback: 'Never' }))),
    h('div', null, h('dt', null, 'Last failure'), h('dd', null, timeEl(target.lastFailureAt, { fallback: 'None' }))),
    h('div', null, h('dt', null, 'Consecutive failures'),
      h('dd', { class: failures > 0 ? 'text-danger strong' : null, 'data-test': 'consecutive-failures' }, formatNumber(failures))));
}

/** Replaces a card in place, keeping focus on the same control. */
function replaceCard(ctx, oldCard, target) {
  const active = document.activeElement;
  const focusedTest = oldCard.contains(active) && active.dataset ? active.dataset.test : null;
  const fresh = targetCard(ctx, target);
  oldCard.replaceWith(fresh);
  if (focusedTest) {
    const again = fresh.querySelector(`[data-test="${focusedTest}"]`);
    if (again) again.focus();
  }
}

function targetCard(ctx, target) {
  let cardEl = null;
  const rerender = () => { if (cardEl && cardEl.isConnected) replaceCard(ctx, cardEl, target); };
  const state = targetState(target);
  const detailHref = `#/targets/${encodeURIComponent(target.id)}`;
  const edit = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'edit-target' },
    icon('pencil'), 'Edit');
  edit.addEventListener('click', async () => {
    const updated = await openTargetForm(ctx, target);
    if (updated) {
      Object.assign(target, updated);
      toast('Endpoint updated.');
      rerender();
    }
  });
  const failing = (target.consecutiveFailures || 0) > 0 && target.lastError;
  cardEl = h('li', {
    class: `target-card target-${state.key}`, 'data-test': 'target-row', 'data-target-id': target.id,
  },
  h('div', { class: 'target-main' },
    h('div', { class: 'target-title-row' },
      h('h2', { class: 'target-name' },
        h('a', { href: detailHref, class: 'target-link', 'data-test': 'target-link' }, target.name || targetAddress(target))),
      pill(state.label, state.tone, { 'data-test': 'target-state' })),
    h('p', { class: 'target-url mono', title: targetAddress(target) }, targetAddress(target)),
    h('div', { class: 'target-tags' },
      (target.events || []).map(eventChip),
      target.ordering === 'fifo'
        ? h('span', { class: 'chip chip-number', title: 'One delivery at a time, in the order accepted', 'data-test': 'chip-fifo' }, 'FIFO')
        : null,
      target.rateLimitPerSecond
        ? h('span', { class: 'chip chip-number', title: 'Attempts that may start per second', 'data-test': 'chip-rate' },
          `≤ ${formatNumber(target.rateLimitPerSecond)}/s`)
        : null),
    h('dl', { class: 'target-facts' },
      h('div', null, h('dt', null, icon('phone'), 'Numbers'), h('dd', null, numbersSummary(ctx.numbers, target.phoneNumberIds))),
      h('div', null, h('dt', null, icon('lock'), 'Secret'),
        h('dd', { class: 'mono', 'data-test': 'secret-preview' }, target.signingSecretPreview || '—')))),
  h('div', { class: 'target-side' },
    enabledToggle(ctx, target, { onUpdated: rerender }),
    h('div', { class: 'target-actions' },
      edit,
      h('a', { href: detailHref, class: 'btn btn-ghost btn-sm' }, 'Details', icon('arrowRight')))),
  h('div', { class: 'target-health' },
    healthLine(target),
    failing ? h('p', { class: 'last-error', 'data-test': 'last-error' },
      h('span', { class: 'last-error-label' }, 'Last error'), h('span', { class: 'mono' }, target.lastError)) : null),
  disabledBanner(target));
  return cardEl;
}

function skeletonList() {
  return h('ul', { class: 'target-list', 'aria-hidden': 'true' },
    [0, 1].map(() => h('li', { class: 'target-card' },
      h('div', { class: 'target-main' },
        h('span', { class: 'skeleton skeleton-title' }),
        h('span', { class: 'skeleton skeleton-line' }),
        h('span', { class: 'skeleton skeleton-line short' })))));
}

function emptyState(onAdd) {
  const add = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'add-target-empty' }, icon('plus'), 'Add your first endpoint');
  add.addEventListener('click', onAdd);
  return h('div', { class: 'empty', 'data-test': 'targets-empty' },
    h('div', { class: 'empty-icon', 'aria-hidden': 'true' }, icon('webhook')),
    h('h2', null, 'No endpoints yet'),
    h('p', null, 'Add an HTTPS endpoint and Pons will POST every WhatsApp event you choose to it, signed and retried until it lands.'),
    add);
}

function guideCard() {
  return h('aside', { class: 'card guide', 'aria-labelledby': 'guide-title' },
    h('h2', { id: 'guide-title', class: 'card-title' }, 'Verifying deliveries'),
    h('p', null, 'Each delivery is a POST with a JSON envelope. Check its signature before trusting it, with ',
      h('code', null, 'timestamp'), ' from ', h('code', null, 'X-Pons-Timestamp'), ':'),
    h('pre', { class: 'pre pre-code', tabindex: 0 },
      'msg = timestamp + "." + rawBody\nsig = hex(hmacSha256(secret, msg))\n\nsig == X-Pons-Signature'),
    h('p', { class: 'small subtle' },
      'Answer ', h('code', null, '200'), ' to acknowledge. Anything else is retried with exponential backoff; ',
      'use ', h('code', null, 'X-Pons-Delivery-Id'), ' to drop duplicates.'),
    h('p', { class: 'small subtle' },
      'A JMS destination gets the same envelope as a text message, signed the same way, with ',
      h('code', null, 'PonsTimestamp'), ' and ', h('code', null, 'PonsSignature'), ' as message properties.'));
}

/** Renders the list page. */
export async function renderTargetList(ctx, root) {
  const addButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'add-target' },
    icon('plus'), 'Add endpoint');
  const listSlot = h('div', { class: 'list-slot', 'aria-busy': 'true' }, skeletonList());
  const count = h('span', { class: 'count-badge', hidden: true, 'data-test': 'target-count' });

  setChildren(root,
    h('div', { class: 'page-header' },
      h('div', null,
        h('h1', { class: 'page-title', tabindex: -1 }, 'Webhook Forwarding'),
        h('p', { class: 'page-lede' },
          'Forward WhatsApp events from your numbers to your own HTTPS endpoints, signed with a per-endpoint secret.')),
      h('div', { class: 'page-actions' }, addButton)),
    h('div', { class: 'layout-split' },
      h('section', { class: 'split-main', 'aria-labelledby': 'endpoints-heading' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'endpoints-heading', class: 'section-title' }, 'Endpoints', count)),
        listSlot),
      guideCard()));

  // The form loads the account's JMS grants before it opens: a second click meanwhile must not open a second one.
  let adding = false;
  async function add() {
    if (adding) return;
    adding = true;
    let created;
    try {
      created = await openTargetForm(ctx);
    } finally {
      adding = false;
    }
    if (!created) return;
    await load();
    await showSecretDialog(created, 'created');
    const card = root.querySelector(`[data-test="target-row"][data-target-id="${CSS.escape(created.id)}"] .target-link`);
    if (card) card.focus();
  }
  addButton.addEventListener('click', add);

  async function load() {
    listSlot.setAttribute('aria-busy', 'true');
    try {
      const targets = await api.targets(ctx.account.id);
      if (!root.isConnected) return;
      count.hidden = targets.length === 0;
      count.textContent = String(targets.length);
      if (targets.length === 0) {
        setChildren(listSlot, emptyState(add));
      } else {
        setChildren(listSlot, h('ul', { class: 'target-list', 'data-test': 'target-list' },
          targets.map((t) => targetCard(ctx, t))));
      }
    } catch (err) {
      if (err.status === 401) return;
      const retry = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Try again');
      retry.addEventListener('click', load);
      setChildren(listSlot, h('div', { class: 'empty empty-error', role: 'alert' },
        h('h2', null, 'Couldn\'t load your endpoints'),
        h('p', null, err.error || String(err.message)),
        retry));
    } finally {
      listSlot.removeAttribute('aria-busy');
    }
  }
  await load();
}
