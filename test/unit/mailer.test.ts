import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createMailer, messageIdFor } from '../../src/notify/mailer';
import type { Mailer, OutgoingEmail } from '../../src/notify/mailer';
import { defineTemplate, escapeHtml, systemNotice } from '../../src/notify/templates';

const FROM = 'RoE Orchestrator <roe@example.test>';

const decisionEmail = defineTemplate<{ partner: string; account: string; url: string }>({
  subject: (d) => `Registration for ${d.account} approved`,
  paragraphs: (d) => [`The registration of ${d.account} by ${d.partner} was approved.`, 'The claim runs 90 days.'],
  action: (d) => ({ label: 'Open the registration', url: d.url }),
});

function anEmail(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    key: 'registration-123/decision',
    to: ['partner@example.test'],
    ...decisionEmail({ partner: 'Acme', account: 'Globex', url: 'https://roe.example.test/registrations/123' }),
    ...overrides,
  };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.map((a) => a.address ?? ''));
}

function emlFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.eml'));
}

describe('message ids', () => {
  it('derives the same Message-ID from the same workflow id and purpose', () => {
    expect(messageIdFor('registration-123/decision')).toBe(messageIdFor('registration-123/decision'));
    expect(messageIdFor('registration-123/decision')).toMatch(/^<[0-9a-f]{32}@roe-orchestrator\.local>$/);
    expect(messageIdFor('registration-123/reminder')).not.toBe(messageIdFor('registration-123/decision'));
  });
});

describe('templates', () => {
  it('renders the same paragraphs, action and footer as text and as HTML', () => {
    const email = decisionEmail({ partner: 'Acme', account: 'Globex', url: 'https://roe.example.test/r/1' });
    expect(email.subject).toBe('Registration for Globex approved');
    expect(email.text).toBe(
      'The registration of Globex by Acme was approved.\n\nThe claim runs 90 days.\n\n' +
        'Open the registration: https://roe.example.test/r/1\n\n-- \nRoE Orchestrator — partner rules of engagement\n',
    );
    expect(email.html).toContain('<p>The registration of Globex by Acme was approved.</p>');
    expect(email.html).toContain('<a href="https://roe.example.test/r/1">Open the registration</a>');
    expect(email.html).toContain('RoE Orchestrator — partner rules of engagement');
  });

  it('escapes every interpolated value in the HTML', () => {
    const email = systemNotice({ title: 'Bad <b>input</b>', lines: ['<script>alert("x")</script> & more'] });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(email.text).toContain('<script>alert("x")</script> & more');
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
  });

  it('keeps the subject on one line', () => {
    expect(systemNotice({ title: 'Worker\r\nBcc: someone@example.test', lines: [] }).subject).toBe(
      '[RoE Orchestrator] Worker Bcc: someone@example.test',
    );
  });

  it('refuses an action link that is not http(s)', () => {
    expect(() => decisionEmail({ partner: 'Acme', account: 'Globex', url: 'javascript:alert(1)' })).toThrow(
      /http\(s\)/,
    );
  });
});

describe('outbox mailer (no SMTP_URL)', () => {
  let outboxDir: string;
  let mailer: Mailer;

  beforeEach(() => {
    outboxDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roe-outbox-')), 'outbox');
    mailer = createMailer({ outboxDir, from: FROM });
  });

  afterEach(() => {
    mailer.close();
    fs.rmSync(path.dirname(outboxDir), { recursive: true, force: true });
  });

  it('creates the outbox directory and passes verification', async () => {
    await mailer.verify();
    expect(fs.statSync(outboxDir).isDirectory()).toBe(true);
  });

  it('writes one .eml file per message', async () => {
    await mailer.send(anEmail({ key: 'registration-1/decision' }));
    await mailer.send(anEmail({ key: 'registration-2/decision' }));
    expect(emlFilesIn(outboxDir)).toHaveLength(2);
    expect(fs.readdirSync(outboxDir)).toHaveLength(2);
  });

  it('leaves one file when a retried activity sends the same key twice', async () => {
    const first = await mailer.send(anEmail());
    const second = await mailer.send(anEmail());
    expect(second).toEqual(first);
    expect(first).toEqual({ messageId: messageIdFor('registration-123/decision'), delivery: 'outbox' });
    expect(fs.readdirSync(outboxDir)).toEqual([`${messageIdFor('registration-123/decision').slice(1, 33)}.eml`]);
  });

  it('writes an RFC 822 message with the subject, addresses, bodies and Message-ID', async () => {
    const email = anEmail({ cc: ['manager@example.test'] });
    await mailer.send(email);
    const [file] = emlFilesIn(outboxDir);
    const raw = fs.readFileSync(path.join(outboxDir, file));
    expect(raw.toString('latin1')).toMatch(/\r\n\r\n/);

    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe(messageIdFor(email.key));
    expect(parsed.subject).toBe('Registration for Globex approved');
    expect(addressesOf(parsed.from)).toEqual(['roe@example.test']);
    expect(addressesOf(parsed.to)).toEqual(['partner@example.test']);
    expect(addressesOf(parsed.cc)).toEqual(['manager@example.test']);
    expect(parsed.text?.trim()).toBe(email.text.trim());
    expect(parsed.html).toBe(email.html);
  });

  it('lists a person named twice once, in To rather than Cc', async () => {
    await mailer.send(
      anEmail({
        to: ['sponsor@example.test', 'owner@example.test', 'Sponsor@example.test'],
        cc: ['owner@example.test', 'manager@example.test', 'manager@example.test'],
      }),
    );
    const parsed = await simpleParser(fs.readFileSync(path.join(outboxDir, emlFilesIn(outboxDir)[0])));
    expect(addressesOf(parsed.to)).toEqual(['sponsor@example.test', 'owner@example.test']);
    expect(addressesOf(parsed.cc)).toEqual(['manager@example.test']);
  });

  it('rejects a message without recipients', async () => {
    await expect(mailer.send(anEmail({ to: [] }))).rejects.toThrow(/no recipients/);
    expect(fs.existsSync(outboxDir)).toBe(false);
  });
});

describe('SMTP mailer (SMTP_URL set)', () => {
  interface Received {
    envelopeTo: string[];
    mail: ParsedMail;
  }
  const received: Received[] = [];
  let server: SMTPServer;
  let smtpUrl: string;
  let mailer: Mailer;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as net.AddressInfo;
    smtpUrl = `smtp://127.0.0.1:${port}?ignoreTLS=true&connectionTimeout=2000`;
    mailer = createMailer({ smtpUrl, outboxDir: '/nonexistent/never-used', from: FROM });
  });

  afterAll(async () => {
    mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('verifies the connection to the SMTP server', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
  });

  it('delivers to every recipient with the subject, bodies and deterministic Message-ID', async () => {
    const email = anEmail({ to: ['partner@example.test', 'owner@example.test'], cc: ['manager@example.test'] });
    const result = await mailer.send(email);

    expect(result).toEqual({ messageId: messageIdFor(email.key), delivery: 'smtp' });
    expect(received).toHaveLength(1);
    const [{ envelopeTo, mail }] = received;
    expect(envelopeTo.sort()).toEqual(['manager@example.test', 'owner@example.test', 'partner@example.test']);
    expect(addressesOf(mail.to)).toEqual(['partner@example.test', 'owner@example.test']);
    expect(addressesOf(mail.cc)).toEqual(['manager@example.test']);
    expect(addressesOf(mail.from)).toEqual(['roe@example.test']);
    expect(mail.messageId).toBe(messageIdFor(email.key));
    expect(mail.subject).toBe('Registration for Globex approved');
    expect(mail.text).toContain('Open the registration: https://roe.example.test/registrations/123');
    expect(mail.html).toContain('<a href="https://roe.example.test/registrations/123">Open the registration</a>');
  });

  it('delivers HTML in which a hostile value arrives escaped', async () => {
    const notice = systemNotice({ title: 'Import failed', lines: ['Partner name: <script>alert(1)</script>'] });
    await mailer.send({ key: 'system/import-failed', to: ['ops@example.test'], ...notice });

    expect(received).toHaveLength(1);
    const { mail } = received[0];
    expect(mail.subject).toBe('[RoE Orchestrator] Import failed');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Partner name: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.text).toContain('Partner name: <script>alert(1)</script>');
  });

  it('rejects the send when the SMTP server is unreachable, so the activity is retried', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = createMailer({
      smtpUrl: `smtp://127.0.0.1:${closedPort}?connectionTimeout=500&greetingTimeout=500`,
      outboxDir: '/nonexistent/never-used',
      from: FROM,
    });
    try {
      await expect(unreachable.send(anEmail())).rejects.toThrow();
    } finally {
      unreachable.close();
    }
  });
});
