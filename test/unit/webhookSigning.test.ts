import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { webhookHeaders, webhookSignature } from '../../src/webhooks/signing';

// Our signatures checked by the Standard Webhooks reference library, as a receiver would.

const aSecret = () => `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({ id: 'evt_1', type: 'registration.decided', data: { status: 'approved' } });

describe('a delivery signed per Standard Webhooks', () => {
  it('verifies with the reference library, which returns the event it carries', () => {
    const secret = aSecret();
    const headers = webhookHeaders([secret], 'msg_0123456789ab_7', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs what the reference library signs for the same id, time and body', () => {
    const secret = aSecret();
    const at = new Date('2026-12-01T10:00:00Z');
    expect(webhookSignature([secret], 'msg_1', at.getTime() / 1000, body)).toBe(
      new Webhook(secret).sign('msg_1', at, body),
    );
  });

  it('is refused by a receiver holding another secret, and when the body was changed', () => {
    const headers = webhookHeaders([aSecret()], 'msg_1', new Date(), body);
    expect(() => new Webhook(aSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    const secret = aSecret();
    const signed = webhookHeaders([secret], 'msg_1', new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('approved', 'rejected'), signed)).toThrow(
      WebhookVerificationError,
    );
  });

  it('during a rotation carries both signatures, so receivers holding either secret verify it', () => {
    const [current, previous] = [aSecret(), aSecret()];
    const headers = webhookHeaders([current, previous], 'msg_1', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeDefined();
    expect(new Webhook(previous).verify(body, headers)).toBeDefined();
  });

  it('carries the attempt time in seconds, which the receiver checks against replays', () => {
    const secret = aSecret();
    const old = new Date(Date.now() - 10 * 60 * 1000);
    const headers = webhookHeaders([secret], 'msg_1', old, body);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(old.getTime() / 1000)));
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/timestamp too old/i);
  });
});
