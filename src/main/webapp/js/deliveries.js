// A target's deliveries: status filter, newest first, "Load more" with the cursor, a retry per
// delivery, and a dialog with every attempt of one delivery.
import { h, icon, uid, clear, timeEl, formatAbsolute, formatLatency, isTime, setChildren } from './dom.js';
import { api } from './api.js';
import { deliveryStatusPill, eventChip } from './model.js';
import { modal, toast, toastError, withBusy, errorMessage } from './ui.js';

const PAGE_SIZE = 20;

const STATUS_OPTIONS = [
  ['', 'All statuses'],
  ['pending', 'Pending'],
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
];

function responseCell(d) {
  if (typeof d.lastStatusCode === 'number') {
    const ok = d.lastStatusCode === 200;
    return h('span', { class: `code ${ok ? 'code-ok' : 'code-bad'}` }, `HTTP ${d.lastStatusCode}`);
  }
  if (d.lastError) return h('span', { class: 'cell-error', title: d.lastError }, d.lastError);
  if (d.status === 'succeeded') return h('span', { class: 'code code-ok' }, 'Committed');
  return h('span', { class: 'muted' }, '—');
}

function whenCell(d) {
  if (d.status === 'succeeded' && isTime(d.deliveredAt)) {
    return h('span', null, h('span', { class: 'muted' }, 'Delivered '), timeEl(d.deliveredAt));
  }
  if (d.status === 'pending' && isTime(d.nextAttemptAt)) {
    return h('span', null, h('span', { class: 'muted' }, 'Next attempt '), timeEl(d.nextAttemptAt));
  }
  if (d.status === 'failed') return h('span', { class: 'muted' }, 'Gave up');
  return h('span', { class: 'muted' }, '—');
}

/** A pending delivery is watched while its next attempt is due within this long. */
const WATCH_DUE_WITHIN_MS = 30e3;
const WATCH_MAX_MS = 120e3;

function dueSoon(d) {
  return d.status === 'pending' && (!isTime(d.nextAttemptAt) || d.nextAttemptAt - Date.now() < WATCH_DUE_WITHIN_MS);
}

/**
 * Polls one delivery while it is pending and its next attempt is due soon (after a retry, or between
 * quick retries), calling `onUpdate` with every answer. Returns a function that stops watching.
 */
export function watchDelivery(ctx, deliveryId, onUpdate) {
  let stopped = false;
  let timer = 0;
  let delay = 700;
  const started = Date.now();
  async function tick() {
    if (stopped) return;
    try {
      const d = await api.delivery(ctx.account.id, deliveryId);
      if (stopped) return;
      if (onUpdate(d) === false) return;
      if (!dueSoon(d) || Date.now() - started > WATCH_MAX_MS) return;
    } catch (err) {
      if (err.status === 401 || err.status === 404) return;
    }
    delay = Math.min(delay * 1.5, 4000);
    timer = setTimeout(tick, delay);
  }
  timer = setTimeout(tick, delay);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Mounts the deliveries card body into `container`. `onChange` runs when a watched delivery finished,
 * `onReload` whenever the list is loaded afresh (Refresh, the status filter), for the page's other live data.
 * @returns {{reload: () => Promise<void>, open: (deliveryId: string) => void}}
 */
export function mountDeliveries(ctx, target, container, { onChange, onReload } = {}) {
  const state = { status: '', items: [], nextCursor: null, loading: false, error: null, seq: 0 };
  const watchers = new Map();

  function stopWatching() {
    watchers.forEach((stop) => stop());
    watchers.clear();
  }

  /** Keeps a pending row current until its attempt is made; tells the page when it finished. */
  function watch(id) {
    if (watchers.has(id)) return;
    watchers.set(id, watchDelivery(ctx, id, (d) => {
      if (!container.isConnected) {
        stopWatching();
        return false;
      }
      replaceItem(d);
      if (d.status !== 'pending') {
        watchers.delete(id);
        if (onChange) onChange();
      }
      return true;
    }));
  }

  const filterId = uid('status-filter');
  const filter = h('select', { id: filterId, class: 'select select-sm', 'data-test': 'status-filter' },
    STATUS_OPTIONS.map(([value, label]) => h('option', { value }, label)));
  const refresh = h('button', {
    type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'refresh-deliveries',
  }, icon('refresh'), 'Refresh');

  const tbody = h('tbody');
  const table = h('table', { class: 'table table-deliveries', 'data-test': 'deliveries-table' },
    h('caption', { class: 'sr-only' }, 'Deliveries, newest first. Select a row to see its attempts.'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Event'),
      h('th', { scope: 'col' }, 'Attempts'),
      h('th', { scope: 'col' }, 'Last response'),
      h('th', { scope: 'col' }, 'Created'),
      h('th', { scope: 'col' }, 'Progress'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    tbody);
  const empty = h('div', { class: 'empty-inline', hidden: true, 'data-test': 'deliveries-empty' });
  const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'load-more', hidden: true }, 'Load more');
  const footer = h('div', { class: 'table-footer' }, more);

  clear(container).append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-field' },
        h('label', { for: filterId, class: 'label-inline' }, 'Status'),
        filter),
      refresh),
    errorBox,
    h('div', { class: 'table-wrap' }, table),
    empty,
    footer);

  function emptyText() {
    if (state.status) return `No ${state.status} deliveries.`;
    return 'No deliveries yet. Send a test event to see one here.';
  }

  function row(d) {
    const retry = h('button', {
      type: 'button', class: 'btn btn-secondary btn-xs', 'data-test': 'retry-delivery',
      'aria-label': `Retry delivery ${d.id}`,
    }, icon('refresh'), 'Retry');
    retry.addEventListener('click', async (event) => {
      event.stopPropagation();
      await withBusy(retry, async () => {
        try {
          const updated = await api.retryDelivery(ctx.account.id, d.id);
          replaceItem(updated && updated.id ? updated : { ...d, status: 'pending' });
          toast('Delivery queued for a new attempt.');
          watchers.get(d.id)?.();
          watchers.delete(d.id);
          watch(d.id);
        } catch (err) {
          toastError(err, 'Retry failed');
        }
      });
    });
    retry.addEventListener('keydown', (event) => event.stopPropagation());

    const tr = h('tr', {
      class: 'row-link', tabindex: 0, 'data-test': 'delivery-row', 'data-delivery-id': d.id,
      'data-status': d.status, title: 'View attempts',
    },
    h('td', { 'data-label': 'Status' }, deliveryStatusPill(d.status)),
    h('td', { 'data-label': 'Event' },
      h('div', { class: 'cell-stack' }, eventChip(d.eventType), h('span', { class: 'mono subtle small' }, d.eventId))),
    h('td', { 'data-label': 'Attempts', class: 'num' }, `${d.attemptCount ?? 0} / ${d.maxAttempts ?? '—'}`),
    h('td', { 'data-label': 'Last response' }, responseCell(d)),
    h('td', { 'data-label': 'Created', class: 'nowrap' }, timeEl(d.createdAt)),
    h('td', { 'data-label': 'Progress' }, whenCell(d)),
    h('td', { class: 'cell-actions' }, retry));
    tr.addEventListener('click', () => openDelivery(d.id));
    tr.addEventListener('keydown', (event) => {
      if (event.target !== tr) return;
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        openDelivery(d.id);
      }
    });
    return tr;
  }

  function replaceItem(updated) {
    const index = state.items.findIndex((x) => x.id === updated.id);
    if (index < 0) return;
    state.items[index] = { ...state.items[index], ...updated };
    const old = tbody.querySelector(`tr[data-delivery-id="${CSS.escape(updated.id)}"]`);
    if (old) {
      const fresh = row(state.items[index]);
      const hadFocus = old.contains(document.activeElement);
      old.replaceWith(fresh);
      if (hadFocus) fresh.focus();
    }
  }

  function render() {
    clear(tbody);
    state.items.forEach((d) => tbody.append(row(d)));
    table.hidden = state.items.length === 0;
    empty.hidden = state.items.length > 0 || state.loading || Boolean(state.error);
    empty.textContent = emptyText();
    more.hidden = !state.nextCursor;
  }

  async function load({ append = false } = {}) {
    if (!append) {
      stopWatching();
      if (onReload) onReload();
    }
    state.seq += 1;
    const seq = state.seq;
    state.loading = true;
    state.error = null;
    errorBox.hidden = true;
    container.setAttribute('aria-busy', 'true');
    if (!append) {
      state.items = [];
      state.nextCursor = null;
      render();
      tbody.append(...Array.from({ length: 3 }, () => h('tr', { class: 'row-skeleton', 'aria-hidden': 'true' },
        h('td', { colspan: 7 }, h('span', { class: 'skeleton skeleton-line' })))));
      table.hidden = false;
    }
    try {
      const page = await api.deliveries(ctx.account.id, target.id, {
        status: state.status || undefined, limit: PAGE_SIZE, cursor: append ? state.nextCursor : undefined,
      });
      if (seq !== state.seq) return;
      const items = (page && page.items) || [];
      state.items = append ? state.items.concat(items) : items;
      state.nextCursor = (page && page.nextCursor) || null;
    } catch (err) {
      if (seq !== state.seq) return;
      state.error = err;
      errorBox.textContent = `Couldn't load deliveries: ${errorMessage(err)}`;
      errorBox.hidden = false;
    } finally {
      if (seq === state.seq) {
        state.loading = false;
        container.removeAttribute('aria-busy');
        const focusIndex = append ? tbody.children.length : -1;
        render();
        if (append && tbody.children[focusIndex]) tbody.children[focusIndex].focus();
        state.items.filter(dueSoon).forEach((d) => watch(d.id));
      }
    }
  }

  filter.addEventListener('change', () => {
    state.status = filter.value;
    load();
  });
  refresh.addEventListener('click', () => withBusy(refresh, () => load()));
  more.addEventListener('click', () => withBusy(more, () => load({ append: true })));

  function openDelivery(id) {
    openDeliveryDialog(ctx, id, {
      onUpdated: (updated) => {
        replaceItem(updated);
        if (updated.status === 'pending') watch(updated.id);
        else if (onChange) onChange();
      },
    });
  }

  load();
  return { reload: () => load(), open: openDelivery };
}

/** The attempts of one delivery, in a dialog. */
export function openDeliveryDialog(ctx, deliveryId, { onUpdated } = {}) {
  let stopWatching = () => {};
  const m = modal({
    title: 'Delivery', size: 'lg', test: 'delivery-dialog', closeTest: 'close-delivery',
    onClose: () => stopWatching(),
  });
  const content = h('div', { class: 'stack', 'aria-live': 'polite' },
    h('div', { class: 'skeleton skeleton-block' }), h('div', { class: 'skeleton skeleton-block' }));
  m.body.append(content);
  const retry = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'retry-delivery-dialog', disabled: true },
    icon('refresh'), 'Retry now');
  const close = h('button', { type: 'button', class: 'btn btn-primary', autofocus: true }, 'Close');
  close.addEventListener('click', () => m.close());
  m.footer.append(retry, close);

  /** Shows the delivery and, while its next attempt is due, keeps it current. */
  async function load() {
    stopWatching();
    try {
      const d = await api.delivery(ctx.account.id, deliveryId);
      render(d);
      if (dueSoon(d)) {
        stopWatching = watchDelivery(ctx, deliveryId, (fresh) => {
          if (!m.dialog.open) return false;
          render(fresh);
          if (fresh.status !== 'pending' && onUpdated) onUpdated(fresh);
          return true;
        });
      }
    } catch (err) {
      setChildren(content, h('div', { class: 'form-error', role: 'alert' }, `Couldn't load this delivery: ${errorMessage(err)}`));
    }
  }

  function render(d) {
    setChildren(m.titleEl, 'Delivery ', h('span', { class: 'mono title-id' }, d.id));
    retry.disabled = false;
    // newest first: a retry or replay starts a new series whose attempts count from 1 again
    const attempts = (d.attempts || []).slice().sort((a, b) => ((b.series || 1) - (a.series || 1))
      || ((b.number || 0) - (a.number || 0)) || ((b.startedAt || 0) - (a.startedAt || 0)));
    setChildren(content,
      h('dl', { class: 'meta-grid' },
        meta('Status', deliveryStatusPill(d.status), 'delivery-status'),
        meta('Event type', eventChip(d.eventType)),
        meta('Event ID', h('span', { class: 'mono' }, d.eventId)),
        meta('Attempts', `${d.attemptCount ?? attempts.length} of ${d.maxAttempts ?? '—'}`),
        meta('Created', formatAbsolute(d.createdAt)),
        d.status === 'succeeded'
          ? meta('Delivered', formatAbsolute(d.deliveredAt))
          : meta('Next attempt', d.status === 'pending' && isTime(d.nextAttemptAt) ? formatAbsolute(d.nextAttemptAt) : '—')),
      h('h3', { class: 'section-title' }, 'Attempts'),
      d.status === 'pending' && attempts.length === 0
        ? h('p', { class: 'muted pending-note' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Sending the first attempt…')
        : null,
      d.status === 'pending' && attempts.length > 0 && (d.attemptCount ?? 0) === 0
        ? h('p', { class: 'muted pending-note' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Redelivering now…')
        : null,
      attempts.length
        ? h('ol', { class: 'attempts' }, attempts.map(attemptItem))
        : (d.status === 'pending' ? null : h('p', { class: 'muted' }, 'No attempt has been made yet.')));
  }

  retry.addEventListener('click', () => withBusy(retry, async () => {
    try {
      const updated = await api.retryDelivery(ctx.account.id, deliveryId);
      toast('Delivery queued for a new attempt.');
      if (onUpdated && updated) onUpdated(updated);
      await load();
    } catch (err) {
      toastError(err, 'Retry failed');
    }
  }));

  m.open();
  load();
}

function meta(label, value, test) {
  return h('div', { class: 'meta' }, h('dt', null, label), h('dd', { 'data-test': test || null }, value));
}

/** A JMS target's attempt has no HTTP status: without an error, the broker committed the send. */
function committed(a) {
  return typeof a.statusCode !== 'number' && !a.error;
}

export function attemptItem(a) {
  const ok = (a.statusCode === 200 || committed(a)) && !a.error;
  return h('li', { class: `attempt ${ok ? 'attempt-ok' : 'attempt-bad'}`, 'data-test': 'attempt-row' },
    h('div', { class: 'attempt-head' },
      h('span', { class: 'attempt-number' }, `Attempt ${a.number}`,
        (a.series || 1) > 1 ? h('span', { class: 'attempt-series' }, ` · redelivery ${a.series - 1}`) : null),
      typeof a.statusCode === 'number'
        ? h('span', { class: `code ${a.statusCode === 200 ? 'code-ok' : 'code-bad'}` }, `HTTP ${a.statusCode}`)
        : h('span', { class: `code ${committed(a) ? 'code-ok' : 'code-bad'}` }, committed(a) ? 'Committed' : 'No response'),
      h('span', { class: 'attempt-meta' }, formatLatency(a.latencyMs)),
      h('span', { class: 'attempt-meta attempt-time' }, isTime(a.startedAt) ? formatAbsolute(a.startedAt) : '—')),
    a.error ? h('p', { class: 'attempt-error' }, a.error) : null,
    a.responseSnippet
      ? h('div', { class: 'snippet' },
        h('div', { class: 'snippet-label' }, committed(a) ? 'Broker' : 'Response body'),
        h('pre', { class: 'pre', tabindex: 0 }, a.responseSnippet))
      : h('p', { class: 'subtle small' }, 'Empty response body.'));
}
