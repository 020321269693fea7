// The one moment a signing secret is shown in full: right after creating a target or rotating its
// secret. The secret lives only in this dialog's input and is gone when the dialog closes.
import { h, icon, uid, formatAbsolute, isTime, timeEl } from './dom.js';
import { modal, copyFromInput } from './ui.js';

/**
 * @param {object} target the API's answer (target + signingSecret)
 * @param {'created'|'rotated'} mode
 * @returns {Promise<void>} resolves when the dialog closes
 */
export function showSecretDialog(target, mode) {
  return new Promise((resolve) => {
    const rotated = mode === 'rotated';
    const m = modal({
      title: rotated ? 'New signing secret' : 'Endpoint created',
      description: rotated
        ? `The signing secret of “${target.name}” was rotated.`
        : `“${target.name}” is ready. Use this secret to verify that deliveries come from Pons.`,
      test: 'secret-dialog',
      closeTest: null,
      onClose: () => resolve(),
    });

    const inputId = 'secret-value-input';
    const input = h('input', {
      id: inputId,
      class: 'input input-mono secret-input',
      type: 'text',
      readonly: true,
      spellcheck: 'false',
      autocomplete: 'off',
      'data-test': 'secret-value',
      value: target.signingSecret || '',
    });
    const copyLabel = h('span', null, 'Copy');
    const copy = h('button', {
      type: 'button', class: 'btn btn-secondary', 'data-test': 'copy-secret', autofocus: true,
    }, icon('copy'), copyLabel);
    const copyStatus = h('p', { class: 'field-hint', role: 'status', 'aria-live': 'polite' });

    copy.addEventListener('click', async () => {
      const ok = await copyFromInput(input);
      if (ok) {
        copyLabel.textContent = 'Copied';
        copy.classList.add('is-done');
        copyStatus.textContent = 'Secret copied to the clipboard.';
        setTimeout(() => {
          copyLabel.textContent = 'Copy';
          copy.classList.remove('is-done');
        }, 2500);
      } else {
        copyStatus.textContent = 'The secret is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
      }
    });
    input.addEventListener('focus', () => input.select());

    m.body.append(
      h('div', { class: 'callout callout-warning' },
        icon('alert'),
        h('div', null,
          h('strong', null, 'Copy this secret now — you won\'t see it again.'),
          h('p', null, 'Pons stores it encrypted and only ever shows a short preview after this dialog closes.'))),
      h('div', { class: 'field' },
        h('label', { for: inputId, class: 'label' }, 'Signing secret'),
        h('div', { class: 'input-group' }, input, copy),
        copyStatus),
      rotated ? rotationNote(target) : verifyNote(target),
    );

    const done = h('button', {
      type: 'button', class: 'btn btn-primary', 'data-test': 'close-secret',
    }, 'I\'ve saved the secret');
    done.addEventListener('click', () => m.close('done'));
    m.footer.append(done);
    m.open();
  });
}

function rotationNote(target) {
  const expires = target.previousSecretExpiresAt;
  return h('div', { class: 'callout callout-info', 'data-test': 'rotation-note' },
    icon('info'),
    h('div', null,
      target.type === 'jms' ? jmsRotationText(expires) : isTime(expires) && expires > Date.now()
        ? h('p', null,
          'The previous secret keeps working until ',
          h('strong', null, formatAbsolute(expires)), ' (', timeEl(expires), '). ',
          'Meanwhile every delivery carries both signatures: ',
          h('code', null, 'X-Pons-Signature'), ' made with the new secret and ',
          h('code', null, 'X-Pons-Signature-Previous'), ' made with the previous one, and both in ',
          h('code', null, 'webhook-signature'), ', so you can switch your receiver over without dropping a delivery.')
        : h('p', null,
          'The previous secret no longer works: deliveries are signed with the new secret only ',
          '(', h('code', null, 'X-Pons-Signature'), ', ', h('code', null, 'webhook-signature'),
          '). Update your receiver now.')));
}

/** A JMS target's messages carry the signatures as properties, and no webhook-* ones (Standard Webhooks is HTTP only). */
function jmsRotationText(expires) {
  return isTime(expires) && expires > Date.now()
    ? h('p', null,
      'The previous secret keeps working until ', h('strong', null, formatAbsolute(expires)), ' (', timeEl(expires), '). ',
      'Meanwhile every message carries ', h('code', null, 'PonsSignature'), ' made with the new secret and ',
      h('code', null, 'PonsSignaturePrevious'), ' made with the previous one, so you can switch your consumer over.')
    : h('p', null, 'The previous secret no longer works: messages are signed with the new secret only (',
      h('code', null, 'PonsSignature'), '). Update your consumer now.');
}

function verifyNote(target) {
  if (target.type === 'jms') {
    return h('div', { class: 'callout callout-info', 'data-test': 'verify-note' },
      icon('info'),
      h('div', null, h('p', null,
        'Each message carries ', h('code', null, 'PonsTimestamp'), ' and ', h('code', null, 'PonsSignature'),
        ': the hex HMAC-SHA256 of ', h('code', null, '<PonsTimestamp>.<message text>'), ' keyed with this secret.')));
  }
  return h('div', { class: 'callout callout-info', 'data-test': 'verify-note' },
    icon('info'),
    h('div', null,
      h('p', null,
        'Each delivery carries Standard Webhooks signatures (', h('code', null, 'webhook-id'), ', ',
        h('code', null, 'webhook-timestamp'), ', ', h('code', null, 'webhook-signature'),
        '): verify them with a Standard Webhooks library given this secret. It also carries ',
        h('code', null, 'X-Pons-Timestamp'), ' and ', h('code', null, 'X-Pons-Signature'),
        ': the hex HMAC-SHA256 of ', h('code', null, '<timestamp>.<raw body>'), ' keyed with this secret.')));
}

// The README's "Verifying deliveries" snippets, verbatim: ReceiverSnippetsIT runs those against real
// deliveries, so copying them (not rewriting them) keeps what the dashboard shows known to work.
const NODE_SNIPPET = `const { Webhook, WebhookVerificationError } = require('standardwebhooks'); // npm install standardwebhooks

// headers: the request's headers as Node.js gives them; rawBody: the body as a Buffer, before JSON parsing.
function verifyStandard(secret, headers, rawBody) {
  try {
    new Webhook(secret).verify(rawBody, headers);
    return true;
  } catch (err) {
    if (err instanceof WebhookVerificationError) return false;
    throw err; // a secret the library cannot decode: fix the configuration
  }
}`;

const JAVA_SNIPPET = `import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

// headers: e.g. java.net.http.HttpHeaders.map(), or your framework's multi-valued header map.
static boolean verifyStandard(String secret, Map<String, List<String>> headers, byte[] rawBody) {
    try {
        new Webhook(secret).verify(new String(rawBody, StandardCharsets.UTF_8), headers);
        return true;
    } catch (WebhookVerificationException e) {
        return false;
    }
}`;

const PYTHON_SNIPPET = `import base64, hashlib, hmac, time

def verify_standard(secret: str, headers: dict, raw_body: bytes, tolerance_s: int = 5 * 60) -> bool:
    msg_id, timestamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures and timestamp.isdigit()):
        return False
    if abs(time.time() - int(timestamp)) > tolerance_s:
        return False
    encoded = secret.removeprefix("whsec_").replace("-", "+").replace("_", "/")
    key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + raw_body, hashlib.sha256).digest())
    return any(sig.startswith("v1,") and hmac.compare_digest(sig[3:].encode(), expected)
               for sig in signatures.split(" "))`;

function snippet(label, install, code, test) {
  const id = uid('snippet');
  return h('div', { class: 'snippet', 'data-test': test },
    h('div', { class: 'snippet-label', id }, label, ' ', h('span', { class: 'subtle' }, install)),
    h('pre', { class: 'pre pre-code pre-tall', tabindex: 0, 'aria-labelledby': id }, h('code', null, code)));
}

/**
 * How a JMS target's consumer checks a message: by hand, as the signature is a property and the Standard
 * Webhooks libraries read HTTP requests only.
 */
export function jmsVerifyingPanel() {
  const property = (name, text) => h('div', null, h('dt', null, h('code', null, name)), h('dd', null, text));
  return h('div', { class: 'stack', 'data-test': 'verify-panel' },
    h('p', null, 'Every delivery is a persistent text message whose text is the JSON envelope, with these string properties:'),
    h('dl', { class: 'kv kv-compact', 'data-test': 'verify-properties' },
      property('PonsDeliveryId', 'The delivery ID (also the JMSCorrelationID), the same on every attempt: drop one you have already processed, deliveries are at least once. Never deduplicate on JMSMessageID.'),
      property('PonsTimestamp', 'When this attempt was signed, in epoch milliseconds: reject one too far from your clock.'),
      property('PonsSignature', 'The lowercase hex HMAC-SHA256 of <PonsTimestamp>.<message text>, keyed with the UTF-8 bytes of the signing secret.'),
      property('PonsSignaturePrevious', 'The same digest made with the previous secret, during a rotation\'s grace period only.')),
    h('p', null, 'Compare in constant time. A send the broker committed counts as delivered; whether and when the message is consumed is up to your consumer.'));
}

/**
 * How a receiver checks that a delivery comes from Pons: the Standard Webhooks headers with the
 * official libraries first (nothing to get wrong by hand), then the X-Pons-Signature alternative.
 */
export function verifyingPanel() {
  const header = (name, text) => h('div', null, h('dt', null, h('code', null, name)), h('dd', null, text));
  return h('div', { class: 'stack', 'data-test': 'verify-panel' },
    h('p', null,
      'Every delivery is a POST carrying ', h('a', { href: 'https://www.standardwebhooks.com/', rel: 'noopener noreferrer', target: '_blank' }, 'Standard Webhooks'),
      ' signatures over the raw body, made with this endpoint\'s signing secret:'),
    h('dl', { class: 'kv kv-compact', 'data-test': 'verify-headers' },
      header('webhook-id', 'The delivery ID (also in X-Pons-Delivery-Id): drop one you have already processed, deliveries are at least once.'),
      header('webhook-timestamp', 'When it was signed, in epoch seconds: reject one more than a few minutes off.'),
      header('webhook-signature', 'v1,<base64 HMAC-SHA256>; during a secret rotation two of them, one per secret, and either verifies.')),
    h('p', null, 'The official libraries check all three: give them the signing secret exactly as shown when it was created, and the ',
      h('strong', null, 'raw'), ' body bytes, before any JSON parsing.'),
    snippet('Node.js', 'npm install standardwebhooks', NODE_SNIPPET, 'verify-node'),
    snippet('Java', 'com.standardwebhooks:standardwebhooks', JAVA_SNIPPET, 'verify-java'),
    snippet('Python', 'standard library only', PYTHON_SNIPPET, 'verify-python'),
    h('div', { class: 'callout callout-info', 'data-test': 'verify-pons' },
      icon('info'),
      h('div', { class: 'callout-body' },
        h('p', null, 'Without a library: ', h('code', null, 'X-Pons-Signature'), ' is the lowercase hex HMAC-SHA256 of ',
          h('code', null, '<X-Pons-Timestamp>.<raw body>'), ', keyed with the UTF-8 bytes of the signing secret; ',
          h('code', null, 'X-Pons-Timestamp'), ' is in epoch milliseconds. During a rotation ',
          h('code', null, 'X-Pons-Signature-Previous'), ' carries the same digest made with the previous secret.'),
        h('p', null, 'Either way compare in constant time, and answer ', h('code', null, '200'), ' quickly: only 200 counts as delivered.'))));
}
