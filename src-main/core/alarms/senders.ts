import nodemailer from 'nodemailer';
import type { SmtpStage, SmtpTestResult, StoredDeliverySettings } from '../../../src-shared/domain/alarm-delivery';

type Smtp = StoredDeliverySettings['smtp'];

/** A mail server or a webhook that does not answer in this long has failed this attempt. */
const SEND_TIMEOUT_MS = 15_000;

function transportFor(smtp: Smtp) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password } } : {}),
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
}

export class SmtpNotConfiguredError extends Error {
  constructor() {
    super('SMTP is not configured (Settings › Alarms: server and sender)');
  }
}

export async function sendEmail(smtp: Smtp, to: readonly string[], subject: string, text: string): Promise<void> {
  if (!smtp.host || !smtp.from) throw new SmtpNotConfiguredError();
  const transport = transportFor(smtp);
  try {
    await transport.sendMail({ from: smtp.from, to: [...to], subject, text });
  } finally {
    transport.close();
  }
}

/** Posts JSON; anything but a 2xx answer in time is a failure. Redirects are not followed: the URL is the one configured. */
export async function postWebhook(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`the webhook answered HTTP ${response.status} ${response.statusText}`.trim());
  }
}

const STAGE_OF_CODE: Record<string, SmtpStage> = {
  ECONNECTION: 'connect',
  ETIMEDOUT: 'connect',
  EDNS: 'connect',
  ESOCKET: 'connect',
  ECONNREFUSED: 'connect',
  ETLS: 'tls',
  EAUTH: 'auth',
  ENOAUTH: 'auth',
  EENVELOPE: 'send',
  EMESSAGE: 'send',
};

/** Which step failed, in the driver's words, for Settings and the deliveries list. */
export function describeSmtpFailure(error: unknown): { stage: SmtpStage; message: string } {
  if (error instanceof SmtpNotConfiguredError) return { stage: 'other', message: error.message };
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  // A TLS handshake failure surfaces as a socket error whose words name TLS or the certificate.
  const tls = /tls|ssl|certificate|wrong version number/i.test(message);
  const stage = tls ? 'tls' : typeof code === 'string' ? (STAGE_OF_CODE[code] ?? 'other') : 'other';
  return { stage, message };
}

/** Connects, logs in and sends one test message: what an administrator presses after typing the settings. */
export async function testSmtp(smtp: Smtp, to: string): Promise<SmtpTestResult> {
  try {
    if (!smtp.host || !smtp.from) throw new SmtpNotConfiguredError();
    const transport = transportFor(smtp);
    try {
      await transport.verify();
      await transport.sendMail({
        from: smtp.from,
        to,
        subject: 'Vigia: teste de e-mail / e-mail test',
        text: 'Vigia consegue enviar alarmes por este servidor.\nVigia can send alarms through this server.',
      });
    } finally {
      transport.close();
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, ...describeSmtpFailure(error) };
  }
}
