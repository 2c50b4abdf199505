/**
 * The agent status page's words. The page is served by the agent process
 * itself (no renderer there), so its two languages live here, one table per
 * language with the same keys, like the renderer's.
 */
export type StatusLanguage = 'pt-BR' | 'en';

export interface StatusTexts {
  title(area: string): string;
  area: string;
  devices(count: number): string;
  central: string;
  linkOk: string;
  linkFailing: string;
  linkUnknown: string;
  lastContact: string;
  outbox: string;
  outboxDepth(batches: number, rows: number): string;
  oldestUnsent: string;
  nothingPending: string;
  lastSweep: string;
  sweepFigures(devices: number, failures: number, durationMs: number): string;
  cameras: string;
  cameraFigures(cameras: number, everyMinutes: number, bad: number, unreported: number): string;
  observations: string;
  observationFigures(recorded: number, acknowledged: number): string;
  clock: string;
  clockOk(offsetMs: number): string;
  clockOff(offsetMs: number): string;
  lastError: string;
  none: string;
  never: string;
  secondsAgo(n: number): string;
  minutesAgo(n: number): string;
  hoursAgo(n: number): string;
  daysAgo(n: number): string;
  otherLanguage: string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

export const STATUS_TEXTS: Record<StatusLanguage, StatusTexts> = {
  'pt-BR': {
    title: (area) => `Vigia — agente da área ${area}`,
    area: 'Área',
    devices: (n) => (n === 1 ? '1 dispositivo' : `${n} dispositivos`),
    central: 'Ligação com a central',
    linkOk: 'conectada',
    linkFailing: 'com falha',
    linkUnknown: 'ainda sem contato',
    lastContact: 'último contato',
    outbox: 'Fila de envio',
    outboxDepth: (b, r) => `${b} lote(s) aguardando confirmação, ${r} registro(s) ainda não empacotados`,
    oldestUnsent: 'Observação mais antiga não enviada',
    nothingPending: 'nada pendente',
    lastSweep: 'Última varredura',
    sweepFigures: (d, f, ms) => `${d} dispositivo(s), ${f} falha(s), ${seconds(ms)} s`,
    cameras: 'Imagem das câmeras',
    cameraFigures: (n, every, bad, unreported) =>
      every === 0
        ? `${n} câmera(s); verificação desligada nesta área`
        : `${n} câmera(s) verificada(s) a cada ${every} min; ${bad} com imagem ruim; ${unreported} verificação(ões) aguardando envio`,
    observations: 'Observações',
    observationFigures: (r, a) => `${r} registradas, ${a} confirmadas pela central`,
    clock: 'Relógio deste computador',
    clockOk: (ms) => `certo (diferença de ${seconds(ms)} s para a central)`,
    clockOff: (ms) =>
      `${seconds(Math.abs(ms))} s ${ms > 0 ? 'adiantado' : 'atrasado'} em relação à central (as observações são corrigidas; acerte o relógio)`,
    lastError: 'Último erro',
    none: 'nenhum',
    never: 'nunca',
    secondsAgo: (n) => `há ${n} s`,
    minutesAgo: (n) => `há ${n} min`,
    hoursAgo: (n) => `há ${n} h`,
    daysAgo: (n) => `há ${n} dias`,
    otherLanguage: 'English',
  },
  en: {
    title: (area) => `Vigia — agent of area ${area}`,
    area: 'Area',
    devices: (n) => (n === 1 ? '1 device' : `${n} devices`),
    central: 'Link to the central',
    linkOk: 'connected',
    linkFailing: 'failing',
    linkUnknown: 'no contact yet',
    lastContact: 'last contact',
    outbox: 'Outbox',
    outboxDepth: (b, r) => `${b} batch(es) awaiting acknowledgement, ${r} row(s) not packed yet`,
    oldestUnsent: 'Oldest observation not sent',
    nothingPending: 'nothing pending',
    lastSweep: 'Last sweep',
    sweepFigures: (d, f, ms) => `${d} device(s), ${f} failure(s), ${seconds(ms)} s`,
    cameras: 'Camera pictures',
    cameraFigures: (n, every, bad, unreported) =>
      every === 0
        ? `${n} camera(s); checks are off in this area`
        : `${n} camera(s) checked every ${every} min; ${bad} with a bad picture; ${unreported} look(s) awaiting sending`,
    observations: 'Observations',
    observationFigures: (r, a) => `${r} recorded, ${a} acknowledged by the central`,
    clock: "This computer's clock",
    clockOk: (ms) => `right (${seconds(ms)} s from the central)`,
    clockOff: (ms) =>
      `${seconds(Math.abs(ms))} s ${ms > 0 ? 'ahead of' : 'behind'} the central (observations are corrected; set the clock)`,
    lastError: 'Last error',
    none: 'none',
    never: 'never',
    secondsAgo: (n) => `${n} s ago`,
    minutesAgo: (n) => `${n} min ago`,
    hoursAgo: (n) => `${n} h ago`,
    daysAgo: (n) => `${n} days ago`,
    otherLanguage: 'Português',
  },
};
