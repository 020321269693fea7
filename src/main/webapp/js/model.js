// What the dashboard knows about the product: event types, defaults, and how a target's state reads.
import { h } from './dom.js';

export const EVENT_TYPES = [
  {
    type: 'message.inbound.received',
    label: 'Inbound message received',
    description: 'A customer sent a message to one of your WhatsApp numbers.',
  },
  {
    type: 'message.status.updated',
    label: 'Message status updated',
    description: 'A message you sent was sent, delivered, read or failed on WhatsApp.',
  },
  {
    type: 'message.outbound.sent',
    label: 'Outbound message sent',
    description: 'A message sent through the Pons API was accepted by the Cloud API.',
  },
  {
    type: 'message.outbound.failed',
    label: 'Outbound message failed',
    description: 'A message sent through the Pons API was refused or could not reach the Cloud API.',
  },
];

export const TARGET_DEFAULTS = {
  maxAttempts: 8,
  timeoutMs: 10000,
  initialBackoffMs: 5000,
  maxBackoffMs: 3600000,
};

export const DEFAULT_GRACE_MS = 24 * 3600 * 1000;

/** One word for a target's state, with the pill's tone. */
/** Where a target delivers: its URL, or for a JMS target the destination the operator granted. */
export function targetAddress(target) {
  return target.type === 'jms' ? `JMS destination ${target.destination}` : target.url;
}

export function targetState(target) {
  if (!target.enabled && target.disabledReason) return { key: 'auto-disabled', label: 'Auto-disabled', tone: 'danger' };
  if (!target.enabled) return { key: 'disabled', label: 'Disabled', tone: 'neutral' };
  if ((target.consecutiveFailures || 0) > 0) return { key: 'failing', label: 'Failing', tone: 'warning' };
  if (target.lastSuccessAt) return { key: 'healthy', label: 'Healthy', tone: 'success' };
  return { key: 'new', label: 'No deliveries yet', tone: 'neutral' };
}

export function pill(label, tone, attrs = {}) {
  return h('span', { class: `pill pill-${tone}`, ...attrs }, h('span', { class: 'pill-dot', 'aria-hidden': 'true' }), label);
}

export function deliveryStatusPill(status) {
  const map = {
    succeeded: ['Succeeded', 'success'],
    failed: ['Failed', 'danger'],
    pending: ['Pending', 'warning'],
  };
  const [label, tone] = map[status] || [status || 'Unknown', 'neutral'];
  return pill(label, tone, { 'data-status': status || '' });
}

export function eventChip(type) {
  return h('span', { class: 'chip', title: (EVENT_TYPES.find((e) => e.type === type) || {}).label || type }, type);
}

/** A number's display text from the account's registered numbers. */
export function numberLabel(numbers, phoneNumberId) {
  const n = numbers.find((x) => x.phoneNumberId === phoneNumberId);
  return n ? (n.displayPhoneNumber || n.phoneNumberId) : phoneNumberId;
}

export function numbersSummary(numbers, phoneNumberIds) {
  if (!phoneNumberIds || phoneNumberIds.length === 0) return h('span', { class: 'numbers-all' }, 'All numbers');
  return h('span', { class: 'numbers-list' }, phoneNumberIds.map((id) => h('span', {
    class: 'chip chip-number',
    title: `Phone number ID ${id}`,
  }, numberLabel(numbers, id))));
}
