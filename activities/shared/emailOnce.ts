import type { Mailer } from '../../src/notify/mailer';
import type { EmailDeliveryStore } from '../../src/store/deliveries';

/**
 * The mailer as activities use it: an email whose key was handed over before is not sent again.
 * The outbox overwrites by Message-ID anyway; over SMTP a retried activity would otherwise send a
 * second copy of everything it had sent before it failed or its worker died.
 */
export function sendingOnce(mailer: Mailer, deliveries: EmailDeliveryStore): Mailer {
  return {
    async send(email) {
      const earlier = await deliveries.sent(email.key);
      if (earlier) return earlier;
      const sent = await mailer.send(email);
      await deliveries.recordSent(email.key, sent);
      return sent;
    },
    verify: () => mailer.verify(),
    close: () => mailer.close(),
  };
}
