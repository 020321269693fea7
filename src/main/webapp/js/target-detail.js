// One target: health, 24-hour chart, test event, secret rotation, deletion, deliveries and replay.
import {
  h, icon, uid, timeEl, formatAbsolute, formatClock, formatDuration, formatLatency, formatNumber, isTime,
  toLocalInputValue, plural, setChildren,
} from './dom.js';
import { api } from './api.js';
import { targetAddress, targetState, pill, eventChip, numbersSummary, DEFAULT_GRACE_MS } from './model.js';
import { toast, toastError, withBusy, confirmDialog, errorMessage } from './ui.js';
import { openTargetForm } from './target-form.js';
import { showSecretDialog, verifyingPanel, jmsVerifyingPanel } from './secret.js';
import { enabledToggle, disabledBanner } from './targets.js';
import { mountDeliveries, openDeliveryDialog } from './deliveries.js';
import { renderChart } from './chart.js';

const GRACE_OPTIONS = [
  [0, 'Immediately (revoke the old secret now)'],
  [3600e3, '1 hour'],
  [DEFAULT_GRACE_MS, '24 hours (recommended)'],
  [3 * 86400e3, '3 days'],
  [7 * 86400e3, '7 days'],
];

function card(title, body, { id, actions, className, test } = {}) {
  const headingId = id || uid('card');
  return h('section', { class: ['card', className], 'aria-labelledby': headingId, 'data-test': test || null },
    h('div', { class: 'card-head' }, h('h2', { id: headingId, class: 'card-title' }, title), actions || null),
    body);
}

function stat(label, value, { tone, test } = {}) {
  return h('div', { class: 'stat' },
    h('dt', { class: 'stat-label' }, label),
    h('dd', { class: ['stat-value', tone ? `text-${tone}` : null], 'data-test': test || null }, value));
}

function healthCard(target) {
  const failures = target.consecutiveFailures || 0;
  return card('Health', h('div', null,
    h('dl', { class: 'stats' },
      stat('Last success', timeEl(target.lastSuccessAt, { fallback: 'Never' }), { test: 'last-success' }),
      stat('Last failure', timeEl(target.lastFailureAt, { fallback: 'None' }), { test: 'last-failure' }),
      stat('Consecutive failures', formatNumber(failures), { tone: failures > 0 ? 'danger' : null, test: 'consecutive-failures' }),
      // An open circuit: one delivery goes as a probe at that time, the others wait for its success.
      isTime(target.nextProbeAt)
        ? stat('Next probe', timeEl(target.nextProbeAt), { tone: 'warning', test: 'next-probe' })
        : null),
    target.lastError
      // the API keeps the last error after a success: red only while the endpoint is failing
      ? h('div', { class: `last-error-box${failures > 0 ? '' : ' last-error-resolved'}` },
        h('div', { class: 'snippet-label' }, failures > 0 ? 'Last error' : 'Last error (resolved)',
          isTime(target.lastFailureAt) ? h('span', { class: 'subtle' }, ` · ${formatAbsolute(target.lastFailureAt)}`) : null),
        h('p', { class: 'mono', 'data-test': 'last-error' }, target.lastError))
      : null), { test: 'health' });
}

function testCard(ctx, target, { onDone }) {
  const jms = target.type === 'jms';
  const outcome = h('div', { class: 'test-outcome-slot', 'aria-live': 'polite' });
  const send = h('button', { type: 'button', class: 'btn btn-primary', 'data-test': 'send-test' }, icon('send'), 'Send test event');
  send.addEventListener('click', () => withBusy(send, async () => {
    setChildren(outcome, h('p', { class: 'subtle' }, jms ? 'Publishing a signed test message…' : 'Sending a signed test delivery…'));
    try {
      const r = await api.testTarget(ctx.account.id, target.id);
      setChildren(outcome, testOutcome(ctx, target, r));
    } catch (err) {
      setChildren(outcome, h('div', { class: 'test-outcome test-failed', 'data-test': 'test-outcome', 'data-succeeded': 'false' },
        h('div', { class: 'test-outcome-head' }, icon('alert'), h('strong', null, 'Could not send the test event')),
        h('p', null, errorMessage(err))));
    }
    if (onDone) onDone();
  }));
  const explained = h('p', { class: 'subtle', 'data-test': 'test-explained' });
  // A JMS target's destination can change under the page (Edit): `update()` says the current one.
  const update = () => setChildren(explained, ...(jms
    ? ['Publishes a signed test message to ', h('span', { class: 'mono' }, target.destination),
      ' right now and shows whether the broker committed it. Your consumer receives it like any delivery, ',
      'a sample of one of the subscribed events whose payload says ', h('code', null, '"test": true'), '.']
    : ['Sends a signed test delivery to this endpoint right now and shows what your server answered. ',
      'Use it to check your signature verification.']));
  update();
  return { el: card('Send a test event', h('div', { class: 'stack' }, explained, h('div', null, send), outcome), { test: 'test-card' }), update };
}

function testOutcome(ctx, target, r) {
  const a = r.attempt || {};
  const ok = Boolean(r.succeeded);
  const jms = target.type === 'jms';
  if (!r.attempt) {
    // no attempt made: the endpoint is off (the delivery waits for it) or the attempt was deferred
    const open = r.deliveryId
      ? h('button', { type: 'button', class: 'btn-link', 'data-test': 'test-view-delivery' }, 'View delivery')
      : null;
    if (open) open.addEventListener('click', () => openDeliveryDialog(ctx, r.deliveryId));
    return h('div', {
      class: 'test-outcome test-pending', 'data-test': 'test-outcome', 'data-succeeded': 'false', role: 'status',
    },
    h('div', { class: 'test-outcome-head' }, icon('info'), h('strong', null, 'Not sent yet'), open),
    h('p', null, target.enabled
      ? 'The test delivery is queued and will be attempted shortly.'
      : 'This endpoint is turned off: the test delivery waits and is sent when you turn it back on.'));
  }
  // A JMS send has no HTTP status: it is committed by the broker, or failed with an error.
  const summary = [
    typeof a.statusCode === 'number' ? `HTTP ${a.statusCode}` : jms && ok ? `Committed to ${target.destination}` : jms ? 'Not committed' : 'No response',
    formatLatency(a.latencyMs),
  ].join(' · ');
  const view = r.deliveryId
    ? h('button', { type: 'button', class: 'btn-link', 'data-test': 'test-view-delivery' }, 'View delivery')
    : null;
  if (view) view.addEventListener('click', () => openDeliveryDialog(ctx, r.deliveryId));
  return h('div', {
    class: `test-outcome ${ok ? 'test-succeeded' : 'test-failed'}`, 'data-test': 'test-outcome',
    'data-succeeded': String(ok), role: 'status',
  },
  h('div', { class: 'test-outcome-head' },
    icon(ok ? 'check' : 'alert'),
    h('strong', null, ok ? (jms ? 'Published' : 'Delivered') : 'Failed'),
    h('span', { class: 'test-outcome-meta', 'data-test': 'test-status' }, summary),
    view),
  a.error ? h('p', { class: 'attempt-error' }, a.error) : null,
  jms ? null : a.responseSnippet
    ? h('div', { class: 'snippet' }, h('div', { class: 'snippet-label' }, 'Response body'), h('pre', { class: 'pre', tabindex: 0 }, a.responseSnippet))
    : h('p', { class: 'subtle small' }, 'Empty response body.'),
  ok ? null : h('p', { class: 'small subtle' }, jms
    ? 'Only a send the broker committed counts as delivered.'
    : 'Only HTTP 200 counts as delivered; redirects are not followed.'));
}

function configCard(ctx, target) {
  const expires = target.previousSecretExpiresAt;
  const rotating = isTime(expires) && expires > Date.now();
  return card('Configuration', h('dl', { class: 'kv' },
    h('div', null, h('dt', null, 'Events'), h('dd', { class: 'target-tags' }, (target.events || []).map(eventChip))),
    h('div', null, h('dt', null, 'Numbers'), h('dd', null, numbersSummary(ctx.numbers, target.phoneNumberIds))),
    h('div', null, h('dt', null, 'Signing secret'), h('dd', null,
      h('span', { class: 'mono secret-preview', 'data-test': 'secret-preview' }, icon('lock'), target.signingSecretPreview || '—'),
      rotating
        ? h('p', { class: 'small subtle', 'data-test': 'previous-secret' },
          'Previous secret still accepted until ', h('strong', null, formatAbsolute(expires)),
          ' (', timeEl(expires), '); deliveries also carry ', h('code', null, 'X-Pons-Signature-Previous'),
          ' and a second ', h('code', null, 'webhook-signature'), ' entry.')
        : null)),
    h('div', null, h('dt', null, 'Payload filter'), h('dd', null, filterView(target.filter))),
    // a JMS target has none: its messages carry the Pons* properties instead
    target.type === 'jms' ? null : h('div', null, h('dt', null, 'Custom headers'), h('dd', null, headersView(target.headers))),
    h('div', null, h('dt', null, 'Retries'), h('dd', null,
      `Up to ${plural(target.maxAttempts ?? 8, 'attempt', 'attempts')}, backoff ${formatDuration(target.initialBackoffMs)} doubling to at most ${formatDuration(target.maxBackoffMs)}`)),
    h('div', null, h('dt', null, 'Timeout'), h('dd', null, `${formatDuration(target.timeoutMs)} per attempt`)),
    h('div', null, h('dt', null, 'Ordering'), h('dd', { 'data-test': 'detail-ordering', 'data-ordering': orderingOf(target) },
      orderingOf(target) === 'fifo'
        ? 'FIFO: one delivery at a time, in the order Pons accepted the events'
        : 'Unordered: deliveries go side by side')),
    h('div', null, h('dt', null, 'Rate limit'), h('dd', { 'data-test': 'detail-rate-limit' },
      target.rateLimitPerSecond
        ? `At most ${plural(target.rateLimitPerSecond, 'attempt', 'attempts')} per second`
        : h('span', { class: 'muted' }, 'None'))),
    h('div', null, h('dt', null, 'Created'), h('dd', null, formatAbsolute(target.createdAt))),
    h('div', null, h('dt', null, 'Updated'), h('dd', null, formatAbsolute(target.updatedAt))),
    h('div', null, h('dt', null, 'Endpoint ID'), h('dd', { class: 'mono' }, target.id))), { test: 'config' });
}

function orderingOf(target) {
  return target.ordering === 'fifo' ? 'fifo' : 'unordered';
}

/** A time for a reason: the clock time today, the date too otherwise. */
function whenText(ms) {
  const d = new Date(ms);
  return d.toDateString() === new Date().toDateString() ? formatClock(ms) : formatAbsolute(ms);
}

/** Why a FIFO line's head has not gone yet, in plain words; `target` for the circuit's probe time. */
function lineReason(line, target) {
  const head = line.head;
  switch (line.state) {
    case 'empty':
      return 'Empty: nothing waits to be delivered.';
    case 'in_flight':
      return 'In flight: the head is being attempted now.';
    case 'retry_scheduled':
      return head && isTime(head.nextAttemptAt)
        ? `Waiting for retry at ${whenText(head.nextAttemptAt)}.`
        : 'Waiting for its next retry.';
    case 'circuit_open':
      return isTime(target.nextProbeAt)
        ? `Circuit open: waiting for the next probe at ${whenText(target.nextProbeAt)}.`
        : 'Circuit open: waiting for the next probe.';
    case 'paused':
      return 'Target disabled: the line waits until the endpoint is turned back on.';
    case 'due':
      return head ? 'Due: the head goes as soon as Pons has room for it.' : 'Moving up: the next delivery becomes the head shortly.';
    default:
      return line.state || 'Unknown';
  }
}

const LINE_TONES = {
  empty: 'neutral', in_flight: 'info', retry_scheduled: 'warning', circuit_open: 'danger', paused: 'neutral', due: 'info',
};

/** The line's contents: its head, why the head waits, and how many wait behind it. */
function lineView(ctx, line, target) {
  const head = line.head;
  const waiting = typeof line.waiting === 'number' ? line.waiting : 0;
  const reason = h('p', { class: `line-reason line-${LINE_TONES[line.state] || 'neutral'}`, 'data-test': 'line-state', 'data-state': line.state || '' },
    lineReason(line, target));
  const behind = h('p', { class: 'line-waiting', 'data-test': 'line-waiting', 'data-waiting': String(waiting) },
    `${formatNumber(waiting)} waiting behind it`);
  if (!head) return h('div', { class: 'stack-sm' }, reason, waiting ? behind : null);

  const open = h('button', { type: 'button', class: 'btn-link mono', 'data-test': 'line-head-id', 'aria-label': `View delivery ${head.id}` }, head.id);
  open.addEventListener('click', () => openDeliveryDialog(ctx, head.id));
  const lastError = head.lastError
    || (typeof head.lastStatusCode === 'number' ? `HTTP ${head.lastStatusCode}` : null);
  return h('div', { class: 'stack-sm' },
    reason,
    h('dl', { class: 'kv kv-compact line-head', 'data-test': 'line-head', 'data-delivery-id': head.id },
      h('div', null, h('dt', null, 'Head'), h('dd', null, open, ' ', eventChip(head.eventType))),
      h('div', null, h('dt', null, 'Attempts'), h('dd', { 'data-test': 'line-head-attempts' },
        `${formatNumber(head.attemptCount ?? 0)} of ${formatNumber(head.maxAttempts)}`)),
      h('div', null, h('dt', null, 'Last error'), h('dd', { class: lastError ? 'mono' : null, 'data-test': 'line-head-error' },
        lastError || h('span', { class: 'muted' }, 'None'))),
      h('div', null, h('dt', null, 'Next attempt'), h('dd', { 'data-test': 'line-head-next' },
        isTime(head.nextAttemptAt) ? [formatAbsolute(head.nextAttemptAt), ' (', timeEl(head.nextAttemptAt), ')'] : '—'))),
    behind);
}

/**
 * The line card of a FIFO target, loaded from the API; `show(target)` hides it for an unordered one.
 * `reload()` fetches it again (the page calls it where it refreshes its other live data).
 */
function lineCard(ctx, target) {
  const body = h('div', { class: 'line-body', 'aria-live': 'polite' });
  const refresh = h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'refresh-line' }, icon('refresh'), 'Refresh');
  const el = card('Line', h('div', { class: 'stack' },
    h('p', { class: 'subtle' },
      'This endpoint gets one delivery at a time, in the order Pons accepted the events. The next waits while ',
      'the head is retried, and goes once the head succeeded or finally failed.'),
    body), { test: 'line-card', actions: refresh });
  let seq = 0;
  async function reload() {
    if (orderingOf(target) !== 'fifo') return;
    seq += 1;
    const mine = seq;
    body.setAttribute('aria-busy', 'true');
    try {
      const line = await api.line(ctx.account.id, target.id);
      if (mine === seq) setChildren(body, lineView(ctx, line, target));
    } catch (err) {
      if (err.status === 401 || mine !== seq) return;
      setChildren(body, h('p', { class: 'form-error', role: 'alert' }, `Couldn't load the line: ${errorMessage(err)}`));
    } finally {
      if (mine === seq) body.removeAttribute('aria-busy');
    }
  }
  refresh.addEventListener('click', () => withBusy(refresh, reload));
  function show() {
    el.hidden = orderingOf(target) !== 'fifo';
    if (!el.hidden) reload();
  }
  return { el, reload, show };
}

function filterView(filter) {
  if (filter === null || filter === undefined) {
    return h('span', { class: 'muted', 'data-test': 'detail-filter', 'data-empty': 'true' }, 'None: every subscribed event is forwarded');
  }
  return h('pre', { class: 'pre', tabindex: 0, 'data-test': 'detail-filter' }, JSON.stringify(filter, null, 2));
}

/** The API answers header values masked ("••••abcd"): this shows what the API gave, nothing more. */
function headersView(headers) {
  const names = Object.keys(headers || {});
  if (!names.length) return h('span', { class: 'muted', 'data-test': 'detail-headers', 'data-empty': 'true' }, 'None');
  return h('ul', { class: 'header-list', 'data-test': 'detail-headers' },
    names.map((n) => h('li', { 'data-test': 'detail-header', 'data-name': n },
      h('code', null, n), h('span', { class: 'mono subtle', 'data-test': 'detail-header-value' }, headers[n]))));
}

function replayCard(ctx, target, { onDone }) {
  const sinceId = uid('replay-since');
  const untilId = uid('replay-until');
  const statusId = uid('replay-status');
  const since = h('input', {
    id: sinceId, type: 'datetime-local', class: 'input', required: true,
    value: toLocalInputValue(Date.now() - 24 * 3600e3), 'data-test': 'replay-since',
  });
  const until = h('input', { id: untilId, type: 'datetime-local', class: 'input', 'data-test': 'replay-until' });
  const status = h('select', { id: statusId, class: 'select', 'data-test': 'replay-status' },
    h('option', { value: 'failed' }, 'Failed deliveries only'),
    h('option', { value: '' }, 'All deliveries'));
  const submit = h('button', { type: 'submit', class: 'btn btn-secondary', 'data-test': 'replay-submit' }, icon('rotate'), 'Replay');
  const message = h('div', { class: 'replay-result', 'aria-live': 'polite', 'data-test': 'replay-result' });
  const sinceError = h('p', { class: 'field-error', hidden: true, 'data-test': 'field-error-since' });
  const untilError = h('p', { class: 'field-error', hidden: true, 'data-test': 'field-error-until' });

  const form = h('form', { class: 'replay-form', novalidate: true, 'data-test': 'replay-form' },
    h('div', { class: 'field' }, h('label', { for: sinceId, class: 'label' }, 'Since'), since, sinceError),
    h('div', { class: 'field' }, h('label', { for: untilId, class: 'label' }, 'Until ', h('span', { class: 'optional' }, '(optional)')), until, untilError),
    h('div', { class: 'field' }, h('label', { for: statusId, class: 'label' }, 'Which deliveries'), status),
    h('div', { class: 'field field-submit' }, submit));

  const toMs = (input) => (input.value ? new Date(input.value).getTime() : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    sinceError.hidden = true;
    untilError.hidden = true;
    setChildren(message);
    const sinceMs = toMs(since);
    const untilMs = toMs(until);
    if (!sinceMs || Number.isNaN(sinceMs)) {
      sinceError.textContent = 'Choose the date and time to replay from.';
      sinceError.hidden = false;
      since.focus();
      return;
    }
    const body = { since: sinceMs };
    if (untilMs && !Number.isNaN(untilMs)) body.until = untilMs;
    if (status.value) body.status = status.value;
    await withBusy(submit, async () => {
      try {
        const r = await api.replay(ctx.account.id, target.id, body);
        const n = (r && typeof r.replayed === 'number') ? r.replayed : 0;
        const text = n === 0
          ? 'Nothing matched: no delivery was replayed.'
          : `${plural(n, 'delivery', 'deliveries')} queued for redelivery.`;
        setChildren(message, h('p', { class: n ? 'text-success' : 'subtle' }, text));
        toast(text, { tone: n ? 'success' : 'info' });
        if (onDone && n) onDone();
      } catch (err) {
        for (const d of err.details || []) {
          const field = d.split(':')[0].trim();
          const el = field === 'since' ? sinceError : field === 'until' ? untilError : null;
          if (el) {
            el.textContent = d.slice(d.indexOf(':') + 1).trim();
            el.hidden = false;
          }
        }
        setChildren(message, h('p', { class: 'form-error', role: 'alert' }, errorMessage(err)));
      }
    });
  });

  return card('Replay deliveries', h('div', { class: 'stack' },
    h('p', { class: 'subtle' }, 'Deliver again what was sent to this endpoint in a time window — for example everything that failed while your server was down. Each replay keeps its delivery ID, so receivers can deduplicate.'),
    form,
    message), { test: 'replay-card' });
}

/** Turned off by hand (not by Pons): say what that means for events and pending deliveries. */
function pausedNote(target) {
  if (target.enabled || target.disabledReason) return null;
  return h('div', { class: 'callout callout-info', role: 'note', 'data-test': 'paused-note' },
    icon('info'),
    h('div', { class: 'callout-body' },
      h('strong', null, 'This endpoint is turned off'),
      h('p', null, 'Events that happen while it is off are not forwarded to it. Deliveries already pending wait, ',
        'and resume when you turn it back on.')));
}

/** Renders the detail page for target `targetId`. */
export async function renderTargetDetail(ctx, root, targetId) {
  setChildren(root,
    h('a', { href: '#/targets', class: 'back-link' }, icon('arrowLeft'), 'Webhook Forwarding'),
    h('div', { class: 'page-header' }, h('div', null,
      h('span', { class: 'skeleton skeleton-title' }), h('span', { class: 'skeleton skeleton-line' }))));

  let target;
  try {
    target = await api.target(ctx.account.id, targetId);
  } catch (err) {
    if (err.status === 401) return;
    setChildren(root,
      h('a', { href: '#/targets', class: 'back-link' }, icon('arrowLeft'), 'Webhook Forwarding'),
      h('div', { class: 'empty empty-error', role: 'alert' },
        h('h1', { class: 'page-title', tabindex: -1 }, err.status === 404 ? 'Endpoint not found' : 'Couldn\'t load this endpoint'),
        h('p', null, err.status === 404 ? 'It may have been deleted.' : errorMessage(err)),
        h('a', { href: '#/targets', class: 'btn btn-secondary' }, 'Back to all endpoints')));
    return;
  }
  if (!root.isConnected) return;
  ctx.setTitle(target.name);

  let disconnectChart = () => {};
  const chartBody = h('div', { class: 'chart', 'aria-busy': 'true' }, h('div', { class: 'skeleton skeleton-chart' }));
  async function loadStats() {
    try {
      const stats = await api.stats(ctx.account.id, target.id);
      disconnectChart();
      disconnectChart = renderChart(chartBody, (stats && stats.hours) || []);
    } catch (err) {
      if (err.status === 401) return;
      setChildren(chartBody, h('p', { class: 'form-error', role: 'alert' }, `Couldn't load statistics: ${errorMessage(err)}`));
    } finally {
      chartBody.removeAttribute('aria-busy');
    }
  }

  async function reloadTarget() {
    try {
      const fresh = await api.target(ctx.account.id, target.id);
      // Redrawing an unchanged header would swap the buttons under the user's pointer mid-click.
      if (JSON.stringify(target) === JSON.stringify({ ...target, ...fresh })) return;
      Object.assign(target, fresh);
      renderTop();
    } catch {
      // keep what is shown; the next action will surface errors
    }
  }

  const top = h('div', { class: 'detail-top' });
  const healthSlot = h('div', { class: 'slot' });
  const deliveriesBody = h('div');
  let deliveries = null;
  const line = lineCard(ctx, target);
  const refreshAll = () => {
    reloadTarget();
    loadStats();
    if (deliveries) deliveries.reload();
  };
  const test = testCard(ctx, target, { onDone: refreshAll });

  function renderTop() {
    const active = document.activeElement;
    const focusedTest = top.contains(active) && active.dataset ? active.dataset.test : null;
    const state = targetState(target);
    const edit = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'edit-target' }, icon('pencil'), 'Edit');
    const rotate = h('button', { type: 'button', class: 'btn btn-secondary', 'data-test': 'rotate-secret' }, icon('rotate'), 'Rotate secret');
    const del = h('button', { type: 'button', class: 'btn btn-danger-outline', 'data-test': 'delete-target' }, icon('trash'), 'Delete');

    edit.addEventListener('click', async () => {
      const updated = await openTargetForm(ctx, target);
      if (updated) {
        Object.assign(target, updated);
        ctx.setTitle(target.name);
        renderTop();
        toast('Endpoint updated.');
      }
    });

    rotate.addEventListener('click', async () => {
      const graceId = uid('grace');
      const grace = h('select', { id: graceId, class: 'select', 'data-test': 'grace-period' },
        GRACE_OPTIONS.map(([ms, label]) => h('option', { value: String(ms), selected: ms === DEFAULT_GRACE_MS }, label)));
      const rotated = await confirmDialog({
        title: 'Rotate signing secret?',
        message: h('p', null, 'Pons generates a new secret for “', h('strong', null, target.name), '”. Until the grace period ends, deliveries are signed with both secrets so your receiver can switch over without losing any.'),
        extra: h('div', { class: 'field' }, h('label', { for: graceId, class: 'label' }, 'Keep the previous secret working for'), grace),
        confirmLabel: 'Rotate secret',
        confirmTest: 'confirm-rotate',
        test: 'rotate-dialog',
        action: () => api.rotateSecret(ctx.account.id, target.id, Number(grace.value)),
      });
      if (rotated && rotated !== true) {
        const { signingSecret, ...rest } = rotated;
        Object.assign(target, rest);
        renderTop();
        await showSecretDialog({ ...rest, signingSecret }, 'rotated');
      }
    });

    del.addEventListener('click', async () => {
      const deleted = await confirmDialog({
        title: 'Delete this endpoint?',
        message: h('div', { class: 'stack-sm' },
          h('p', null, 'Delete “', h('strong', null, target.name), '”? Pons stops forwarding events to ',
            h('span', { class: 'mono break' }, targetAddress(target)), '.'),
          h('p', { class: 'subtle' }, 'This can\'t be undone.')),
        confirmLabel: 'Delete endpoint',
        tone: 'danger',
        confirmTest: 'confirm-delete',
        test: 'delete-dialog',
        action: () => api.deleteTarget(ctx.account.id, target.id).then(() => true),
      });
      if (deleted) {
        toast(`${target.name} was deleted.`);
        ctx.navigate('#/targets');
      }
    });

    const reenable = !target.enabled && target.disabledReason
      ? h('button', { type: 'button', class: 'btn btn-secondary btn-sm', 'data-test': 'reenable' }, 'Turn back on')
      : null;
    if (reenable) {
      reenable.addEventListener('click', () => withBusy(reenable, async () => {
        try {
          Object.assign(target, await api.updateTarget(ctx.account.id, target.id, { enabled: true }));
          toast(`${target.name} is enabled again.`);
          renderTop();
        } catch (err) {
          toastError(err, 'Couldn\'t enable the endpoint');
        }
      }));
    }

    setChildren(top,
      h('div', { class: 'page-header detail-header', 'data-test': 'target-detail', 'data-target-id': target.id },
        h('div', { class: 'detail-heading' },
          h('div', { class: 'target-title-row' },
            h('h1', { class: 'page-title', tabindex: -1 }, target.name),
            pill(state.label, state.tone, { 'data-test': 'target-state' })),
          h('p', { class: 'target-url mono', 'data-test': 'detail-url' }, targetAddress(target))),
        h('div', { class: 'page-actions' },
          enabledToggle(ctx, target, { onUpdated: renderTop }),
          edit, rotate, del)),
      disabledBanner(target, reenable) || pausedNote(target));
    setChildren(healthSlot, healthCard(target));
    test.update();
    line.show();
    // the configuration card shows target fields too
    const config = root.querySelector('[data-test="config"]');
    if (config) config.replaceWith(configCard(ctx, target));
    if (focusedTest) {
      const again = top.querySelector(`[data-test="${focusedTest}"]`);
      if (again) again.focus();
    }
  }

  renderTop();
  const page = [
    top,
    h('div', { class: 'grid-detail' }, healthSlot, test.el),
    line.el,
    card('Last 24 hours', chartBody, { test: 'stats', className: 'card-chart' }),
    card('Deliveries', deliveriesBody, { test: 'deliveries' }),
    h('div', { class: 'grid-detail' },
      configCard(ctx, target),
      replayCard(ctx, target, { onDone: () => deliveries && deliveries.reload() })),
    card('Verifying deliveries', target.type === 'jms' ? jmsVerifyingPanel() : verifyingPanel(), { test: 'verify-card' }),
  ];
  setChildren(root, h('a', { href: '#/targets', class: 'back-link' }, icon('arrowLeft'), 'Webhook Forwarding'), ...page);
  deliveries = mountDeliveries(ctx, target, deliveriesBody, {
    onChange: () => { reloadTarget(); },
    // the deliveries' Refresh is the page's: the line moves with them
    onReload: () => line.reload(),
  });
  loadStats();
}
