import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';

export interface OutgoingEmail {
  /** Workflow id + purpose, e.g. `registration-123/decision`; the Message-ID is derived from it. */
  key: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SentEmail {
  messageId: string;
  delivery: 'smtp' | 'outbox';
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<SentEmail>;
  verify(): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** `smtp://` or `smtps://`, may carry `user:pass@` and nodemailer options as query parameters. */
  smtpUrl?: string;
  outboxDir: string;
  from: string;
}

const MESSAGE_ID_DOMAIN = 'roe-orchestrator.local';

// An activity has its own timeout; nodemailer's defaults (2 min to connect) would outlive it.
// Query parameters of the SMTP URL override these.
const SMTP_DEFAULTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Deterministic Message-ID, so the same workflow + purpose always yields the same message. */
export function messageIdFor(key: string): string {
  return `<${messageHashFor(key)}@${MESSAGE_ID_DOMAIN}>`;
}

export function createMailer(options: MailerOptions): Mailer {
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : outboxMailer(options.outboxDir, options.from);
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transporter = createTransport({
    ...SMTP_DEFAULTS,
    url: smtpUrl,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(email) {
      const info = await transporter.sendMail(mailOptionsFor(email, from));
      return { messageId: info.messageId, delivery: 'smtp' };
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}

// The embedded default: one RFC 822 file per message, named by its Message-ID, so a retried
// activity overwrites its earlier attempt instead of adding a second message.
function outboxMailer(outboxDir: string, from: string): Mailer {
  const transporter = createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(email) {
      const info = await transporter.sendMail(mailOptionsFor(email, from));
      if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer stream transport did not return a buffer');
      await mkdir(outboxDir, { recursive: true });
      await writeFileAtomically(path.join(outboxDir, `${messageHashFor(email.key)}.eml`), info.message);
      return { messageId: info.messageId, delivery: 'outbox' };
    },
    async verify() {
      await mkdir(outboxDir, { recursive: true });
      await access(outboxDir, fsConstants.W_OK);
    },
    close() {
      transporter.close();
    },
  };
}

function mailOptionsFor(email: OutgoingEmail, from: string): SendMailOptions {
  if (email.key.trim() === '') throw new Error('email key must not be empty');
  if (email.to.length === 0) throw new Error(`email ${email.key} has no recipients`);
  const to = new Set(email.to.map((address) => address.toLowerCase()));
  const cc = distinctAddresses(email.cc ?? []).filter((address) => !to.has(address.toLowerCase()));
  return {
    messageId: messageIdFor(email.key),
    from,
    to: distinctAddresses(email.to),
    cc: cc.length > 0 ? cc : undefined,
    subject: email.subject,
    text: email.text,
    html: email.html,
  };
}

/** A person named twice (a sponsor who also owns a stage) gets one copy, listed once. */
function distinctAddresses(addresses: string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function messageHashFor(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
}

// Temp file in the same directory (same file system), so the rename is atomic and a reader of
// the outbox never sees a half-written `.eml`.
async function writeFileAtomically(target: string, content: Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
