import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

export interface CapturedMail {
  messageId: string;
  to: string[];
  subject: string;
  /** The plain-text body. */
  text: string;
}

export interface SmtpCapture {
  port: number;
  /** For SMTP_URL: plain SMTP on loopback, short timeouts. */
  url: string;
  /** Messages the server acknowledged (took responsibility for), in arrival order. */
  delivered: CapturedMail[];
  /** Takes the server away: new connections are refused until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Answers 451 (try again later) to this recipient until cleared with `undefined`. */
  refuseRecipient(address: string | undefined): void;
  /** How many recipients were answered 451 so far. */
  refusals(): number;
  /**
   * Holds the next message (to `to`, when given) and never acknowledges it: resolves once one is
   * held, so a test can kill the sender while its send is in flight.
   */
  holdNextMessage(to?: string): Promise<CapturedMail>;
}

/** A real SMTP server on a fixed loopback port that the test can stop and start again. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const port = await freePort();
  const delivered: CapturedMail[] = [];
  let refused: string | undefined;
  let refusals = 0;
  let hold: { to?: string; held: (mail: CapturedMail) => void } | undefined;
  let server: SMTPServer | undefined;

  const listen = async () => {
    const current = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1_000,
      onRcptTo(address, _session, callback) {
        if (address.address.toLowerCase() === refused) {
          refusals += 1;
          const error = Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 });
          return callback(error);
        }
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const mail = {
              messageId: parsed.messageId ?? '',
              to: addressesOf(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            };
            if (hold && (hold.to === undefined || mail.to.includes(hold.to))) {
              const { held } = hold;
              hold = undefined;
              return held(mail);
            }
            delivered.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => current.listen(port, '127.0.0.1', resolve));
    server = current;
  };
  await listen();

  return {
    port,
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true&connectionTimeout=2000&greetingTimeout=2000`,
    delivered,
    stop: async () => {
      // Stops listening at once; open connections are cut after the close timeout.
      server?.close();
      server = undefined;
    },
    start: listen,
    refuseRecipient: (address) => {
      refused = address?.toLowerCase();
    },
    refusals: () => refusals,
    holdNextMessage: (to) => new Promise<CapturedMail>((resolve) => (hold = { to: to?.toLowerCase(), held: resolve })),
  };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.map((a) => (a.address ?? '').toLowerCase()));
}
