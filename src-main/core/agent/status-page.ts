import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLOCK_WARNING_MS } from '../../../src-shared/domain/agents';
import type { Logger } from '../runtime';
import type { AgentStatus } from './agent';
import { STATUS_TEXTS } from './status-texts';
import type { StatusLanguage, StatusTexts } from './status-texts';

export interface StatusPage {
  readonly url: string;
  close(): Promise<void>;
}

/** pt-BR unless the browser (or ?lang=en) asks for English. */
function languageOf(url: URL, acceptLanguage: string | undefined): StatusLanguage {
  const asked = url.searchParams.get('lang');
  if (asked === 'en' || asked === 'pt-BR') return asked;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'pt-BR';
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function ago(t: StatusTexts, now: number, at: number | null): string {
  if (at === null) return t.never;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 120) return t.secondsAgo(seconds);
  if (seconds < 7200) return t.minutesAgo(Math.round(seconds / 60));
  if (seconds < 172_800) return t.hoursAgo(Math.round(seconds / 3600));
  return t.daysAgo(Math.round(seconds / 86_400));
}

export function renderStatus(status: AgentStatus, language: StatusLanguage): string {
  const t = STATUS_TEXTS[language];
  const time = (at: number | null) =>
    at === null ? t.never : `${new Date(at).toLocaleString(language)} (${ago(t, status.now, at)})`;
  const link = status.link === 'ok' ? t.linkOk : status.link === 'failing' ? t.linkFailing : t.linkUnknown;
  const rows: Array<[string, string]> = [
    [t.area, `${status.areaCode}${status.areaName ? ` — ${status.areaName}` : ''} (${t.devices(status.devices)})`],
    [t.central, `${link}; ${t.lastContact}: ${time(status.lastContactAt)}`],
    [t.outbox, t.outboxDepth(status.outbox.batches, status.outbox.rows)],
    [t.oldestUnsent, status.outbox.oldestUnsentAt === null ? t.nothingPending : time(status.outbox.oldestUnsentAt)],
    [
      t.lastSweep,
      status.lastSweep
        ? `${time(status.lastSweep.startedAt)}; ${t.sweepFigures(status.lastSweep.devicesProbed, status.lastSweep.failures, status.lastSweep.durationMs)}`
        : t.never,
    ],
    [
      t.cameras,
      t.cameraFigures(status.cameras.total, status.cameras.everyMinutes, status.cameras.bad, status.cameras.unreported),
    ],
    [t.observations, t.observationFigures(status.observations.recorded, status.observations.acknowledged)],
    [
      t.clock,
      Math.abs(status.clockOffsetMs) > CLOCK_WARNING_MS
        ? `⚠ ${t.clockOff(status.clockOffsetMs)}`
        : t.clockOk(status.clockOffsetMs),
    ],
    [
      t.lastError,
      status.lastError
        ? `${time(status.lastError.at)}: ${status.lastError.message} [${status.lastError.code}]`
        : t.none,
    ],
  ];
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>${escape(t.title(status.areaCode))}</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;color:#222}th{text-align:left;padding:.3rem 1rem .3rem 0;vertical-align:top}
td{padding:.3rem 0}.failing{color:#b00020}</style></head>
<body><h1>${escape(t.title(status.areaCode))}</h1><table>
${rows.map(([name, value]) => `<tr><th>${escape(name)}</th><td${status.link === 'failing' && name === t.central ? ' class="failing"' : ''}>${escape(value)}</td></tr>`).join('\n')}
</table><p><a href="?lang=${language === 'en' ? 'pt-BR' : 'en'}">${escape(t.otherLanguage)}</a> · <a href="/status.json">JSON</a></p></body></html>`;
}

/** The agent's small status page, on loopback only: the field technician's view of the link and the outbox. */
export async function startStatusPage(options: {
  readonly host: string;
  readonly port: number;
  readonly status: () => Promise<AgentStatus>;
  readonly logger: Logger;
}): Promise<StatusPage> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');
    if (request.method !== 'GET' || (url.pathname !== '/' && url.pathname !== '/status.json')) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    options.status().then(
      (status) => {
        if (url.pathname === '/status.json') {
          response.setHeader('Content-Type', 'application/json; charset=utf-8');
          response.end(JSON.stringify(status));
          return;
        }
        response.setHeader('Content-Type', 'text/html; charset=utf-8');
        response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
        response.end(renderStatus(status, languageOf(url, request.headers['accept-language'])));
      },
      (error: unknown) => {
        options.logger.error('status page failed', error);
        response.statusCode = 500;
        response.end('status unavailable');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
