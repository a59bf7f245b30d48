export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailAction {
  label: string;
  url: string;
}

export interface TemplateSpec<Data> {
  subject: (data: Data) => string;
  paragraphs: (data: Data) => string[];
  action?: (data: Data) => EmailAction | undefined;
}

export const FOOTER = 'RoE Orchestrator — partner rules of engagement';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** A template renders the same content as plain text and as minimal HTML; every value is escaped. */
export function defineTemplate<Data>(spec: TemplateSpec<Data>): (data: Data) => RenderedEmail {
  return (data) => {
    const subject = singleLine(spec.subject(data));
    const paragraphs = spec.paragraphs(data);
    const action = spec.action?.(data);
    if (action) assertIsWebLink(action.url);
    return { subject, text: textBody(paragraphs, action), html: htmlBody(subject, paragraphs, action) };
  };
}

/** Operational notices (worker health, misconfiguration), not tied to a business process. */
export const systemNotice = defineTemplate<{ title: string; lines: string[] }>({
  subject: (d) => `[RoE Orchestrator] ${d.title}`,
  paragraphs: (d) => d.lines,
});

function textBody(paragraphs: string[], action: EmailAction | undefined): string {
  const blocks = [...paragraphs];
  if (action) blocks.push(`${action.label}: ${action.url}`);
  // "-- " (with the trailing space) is the signature separator mail clients recognize.
  blocks.push(`-- \n${FOOTER}`);
  return `${blocks.join('\n\n')}\n`;
}

function htmlBody(subject: string, paragraphs: string[], action: EmailAction | undefined): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`);
  if (action) body.push(`<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.4;">',
    ...body,
    '<hr>',
    `<p style="color: #666; font-size: 0.9em;">${escapeHtml(FOOTER)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// Header values must not carry line breaks (header injection); subjects are one line.
function singleLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

// Escaping does not neutralize `javascript:` links; actions only ever point to the web UI.
function assertIsWebLink(url: string): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`email action link must be http(s): ${url}`);
}
