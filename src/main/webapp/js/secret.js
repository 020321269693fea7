// The one moment a signing secret is shown in full: right after creating a target or rotating its
// secret. The secret lives only in this dialog's input and is gone when the dialog closes.
import { h, icon, formatAbsolute, isTime, timeEl } from './dom.js';
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
      rotated ? rotationNote(target) : verifyNote(),
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
      isTime(expires) && expires > Date.now()
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

function verifyNote() {
  return h('div', { class: 'callout callout-info' },
    icon('info'),
    h('div', null,
      h('p', null,
        'Each delivery carries Standard Webhooks signatures (', h('code', null, 'webhook-id'), ', ',
        h('code', null, 'webhook-timestamp'), ', ', h('code', null, 'webhook-signature'),
        '): verify them with a Standard Webhooks library given this secret. It also carries ',
        h('code', null, 'X-Pons-Timestamp'), ' and ', h('code', null, 'X-Pons-Signature'),
        ': the hex HMAC-SHA256 of ', h('code', null, '<timestamp>.<raw body>'), ' keyed with this secret.')));
}
