import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContractCallError } from '../../src-shared/contract/errors';
import type { DeliveryRule } from '../../src-shared/domain/alarm-delivery';
import { emptyGrid } from '../../src-shared/domain/permissions';
import type { PermissionGrid } from '../../src-shared/domain/permissions';
import { MAX_ATTEMPTS } from '../../src-main/core/alarms/deliveries';
import { sessionOf, startAlarmDesk } from '../helpers/alarm-desk';
import { closedPort, startMailCatcher, startWebhookCatcher } from '../helpers/catchers';
import { failure } from '../helpers/failure';

const MINUTE = 60_000;

const rule = (over: Partial<DeliveryRule>): DeliveryRule => ({
  name: 'sala',
  channel: 'webhook',
  target: 'http://127.0.0.1:9/none',
  format: 'json',
  chatId: '',
  areaIds: [],
  minSeverity: 'minor',
  delayMinutes: 0,
  repeatMinutes: 0,
  ...over,
});

const operatorGrid = (acknowledge: boolean): PermissionGrid => ({
  ...emptyGrid(),
  dashboard: { view: true, edit: false },
  alarms: { view: true, edit: acknowledge },
});

describe('alarm desk (real SQLite, scripted prober, manual clock)', () => {
  let desk: Awaited<ReturnType<typeof startAlarmDesk>>;
  beforeEach(async () => {
    desk = await startAlarmDesk();
  });
  afterEach(async () => {
    await desk.stop();
  });

  const board = () => desk.store.listAlarms({ desk: { keepUnacknowledged: true }, limit: 100 });
  const admin = () => desk.clientAs(sessionOf(desk.admin));

  it('opens one alarm when a device falls, clears it when it returns, and keeps it until acknowledged', async () => {
    const ita = await desk.area('ITA');
    for (let i = 1; i <= 5; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
    await desk.sweep();
    expect(await board()).toEqual([]);
    desk.prober.setReachable('10.0.0.3', false);
    await desk.sweep();
    await desk.sweep();
    const [alarm, ...others] = await board();
    expect(others).toEqual([]);
    expect(alarm).toMatchObject({ kind: 'device_offline', severity: 'major', deviceName: 'CAM-3', clearedAt: null });
    desk.prober.setReachable('10.0.0.3', true);
    await desk.sweep();
    const [cleared] = await board();
    expect(cleared).toMatchObject({ id: alarm!.id, acknowledgedAt: null });
    expect(cleared!.clearedAt).not.toBeNull();
    const board2 = await admin().call('alarms.board', {});
    expect(board2.unacknowledged).toBe(1);
    await admin().call('alarms.acknowledge', { id: alarm!.id, note: 'voltou sozinha' });
    expect((await admin().call('alarms.board', {})).alarms).toEqual([]);
  });

  it('turns a whole area falling in one sweep into one area alarm, one e-mail and one webhook call', async () => {
    const mail = await startMailCatcher();
    const hook = await startWebhookCatcher();
    try {
      const ita = await desk.area('ITA');
      const snt = await desk.area('SNT');
      for (let i = 1; i <= 6; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
      await desk.device(snt.id, 'CAM-SNT', '10.0.1.1');
      await admin().call('settings.delivery.update', {
        language: 'pt-BR',
        smtp: { host: '127.0.0.1', port: mail.port, security: 'none', username: '', from: 'vigia@sala.local' },
        rules: [
          rule({ name: 'e-mail', channel: 'email', target: 'plantao@sala.local', minSeverity: 'critical' }),
          rule({ name: 'teams', channel: 'webhook', target: hook.url, format: 'teams', minSeverity: 'critical' }),
        ],
      });
      await desk.sweep();
      for (let i = 1; i <= 6; i++) desk.prober.setReachable(`10.0.0.${i}`, false);
      await desk.sweep();
      await desk.sweep();
      const alarms = await board();
      expect(alarms.map((a) => [a.kind, a.areaCode])).toEqual([['area_link_lost', 'ITA']]);
      expect(alarms[0]!.detail).toEqual({ down: 6, watched: 6 });
      const members = await admin().call('alarms.members', { id: alarms[0]!.id });
      expect(members.map((m) => m.deviceName).sort()).toEqual(['CAM-1', 'CAM-2', 'CAM-3', 'CAM-4', 'CAM-5', 'CAM-6']);
      expect(mail.received).toHaveLength(1);
      expect(mail.received[0]!.to).toEqual(['plantao@sala.local']);
      expect(mail.received[0]!.raw).toContain('=C3=81rea sem link'); // "Área sem link", quoted-printable
      expect(hook.received).toEqual([
        expect.objectContaining({ '@type': 'MessageCard', title: expect.stringContaining('ITA') as unknown }),
      ]);
      const deliveries = await admin().call('alarms.deliveries', {});
      expect(deliveries.map((d) => [d.ruleName, d.status]).sort()).toEqual([
        ['e-mail', 'sent'],
        ['teams', 'sent'],
      ]);
    } finally {
      await mail.close();
      await hook.close();
    }
  });

  it('raises no alarm for the devices behind a down parent, and shows them as such', async () => {
    const ita = await desk.area('ITA');
    const sw = await desk.device(ita.id, 'SW-PATIO', '10.0.0.1');
    const a = await desk.device(ita.id, 'CAM-A', '10.0.0.2', sw.id);
    await desk.device(ita.id, 'CAM-B', '10.0.0.3', sw.id);
    for (let i = 4; i <= 9; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
    await desk.sweep();
    for (const host of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) desk.prober.setReachable(host, false);
    await desk.sweep();
    expect((await board()).map((x) => [x.kind, x.deviceName])).toEqual([['device_offline', 'SW-PATIO']]);
    expect(await desk.store.getDevice(a.id)).toMatchObject({ status: 'OFFLINE', parentStatus: 'OFFLINE' });
    const problems = await admin().call('dashboard.problems', {});
    expect(
      problems.problems
        .filter((p) => p.behindDownParent)
        .map((p) => p.deviceName)
        .sort(),
    ).toEqual(['CAM-A', 'CAM-B']);
    // The parent comes back, a child stays down: now it is the child's own alarm.
    desk.prober.setReachable('10.0.0.1', true);
    desk.prober.setReachable('10.0.0.3', true);
    await desk.sweep();
    expect((await board()).filter((x) => x.clearedAt === null).map((x) => x.deviceName)).toEqual(['CAM-A']);
  });

  it('turns a flapping device into one unstable alarm, cleared when it settles', async () => {
    const ita = await desk.area('ITA');
    for (let i = 1; i <= 5; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
    await desk.sweep();
    for (let i = 0; i < 8; i++) {
      desk.prober.setReachable('10.0.0.2', i % 2 === 1);
      await desk.sweep();
    }
    const unstable = (await board()).filter((a) => a.kind === 'device_unstable');
    expect(unstable).toHaveLength(1);
    expect(unstable[0]).toMatchObject({ deviceName: 'CAM-2', severity: 'minor', clearedAt: null });
    desk.clock.advance(11 * MINUTE);
    await desk.sweep();
    expect((await desk.store.getAlarm(unstable[0]!.id))?.clearedAt).not.toBeNull();
  });

  it('waits the delay, repeats while nobody acknowledges, and stops when somebody does', async () => {
    const hook = await startWebhookCatcher();
    try {
      const ita = await desk.area('ITA');
      for (let i = 1; i <= 5; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
      await admin().call('settings.delivery.update', {
        language: 'en',
        smtp: { host: '', port: 587, security: 'starttls', username: '', from: '' },
        rules: [rule({ target: hook.url, delayMinutes: 2, repeatMinutes: 5 })],
      });
      await desk.sweep();
      // A blip shorter than the delay sends nothing.
      desk.prober.setReachable('10.0.0.1', false);
      await desk.sweep();
      desk.clock.advance(MINUTE);
      desk.prober.setReachable('10.0.0.1', true);
      await desk.sweep();
      expect(hook.received).toEqual([]);
      // Still down after the delay: one call; five minutes on, another.
      desk.prober.setReachable('10.0.0.2', false);
      await desk.sweep();
      desk.clock.advance(2 * MINUTE);
      await desk.sweep();
      expect(hook.received).toHaveLength(1);
      expect((hook.received[0] as { text: string }).text).toContain('Device down');
      desk.clock.advance(2 * MINUTE);
      await desk.sweep();
      expect(hook.received).toHaveLength(1);
      desk.clock.advance(3 * MINUTE);
      await desk.sweep();
      expect(hook.received).toHaveLength(2);
      const alarm = (await board()).find((a) => a.deviceName === 'CAM-2')!;
      await admin().call('alarms.acknowledge', { id: alarm.id, note: 'técnico a caminho' });
      desk.clock.advance(10 * MINUTE);
      await desk.sweep();
      expect(hook.received).toHaveLength(2);
    } finally {
      await hook.close();
    }
  });

  it('retries a failing webhook and shows the delivery failed when it gives up, never dropping it', async () => {
    const flaky = await startWebhookCatcher(2);
    try {
      const ita = await desk.area('ITA');
      for (let i = 1; i <= 5; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
      await admin().call('settings.delivery.update', {
        language: 'pt-BR',
        smtp: { host: '', port: 587, security: 'starttls', username: '', from: '' },
        rules: [
          rule({ name: 'flaky', target: flaky.url }),
          rule({ name: 'dead', target: `http://127.0.0.1:${await closedPort()}/nobody` }),
        ],
      });
      await desk.sweep();
      desk.prober.setReachable('10.0.0.1', false);
      await desk.sweep();
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        desk.clock.advance(31 * MINUTE);
        await desk.sweep();
      }
      expect(flaky.attempts()).toBe(3);
      expect(flaky.received).toHaveLength(1);
      const deliveries = await admin().call('alarms.deliveries', {});
      expect(deliveries.find((d) => d.ruleName === 'flaky')).toMatchObject({ status: 'sent', attempts: 3 });
      const dead = deliveries.find((d) => d.ruleName === 'dead')!;
      expect(dead).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
      expect(dead.lastError).toMatch(/ECONNREFUSED|refused/i);
    } finally {
      await flaky.close();
    }
  });

  it('opens an alarm when sweeps keep overrunning', async () => {
    const summary = { startedAt: 0, durationMs: 9000, devicesProbed: 1, failures: 0, prober: 'x', probesNotRun: 0 };
    for (let i = 0; i < 3; i++) desk.central.alarms.noteSweep({ ...summary, overrunMs: 4000, proberProblem: null });
    await desk.central.alarms.evaluate();
    expect((await board()).map((a) => a.kind)).toEqual(['sweep_overrun']);
    desk.central.alarms.noteSweep({ ...summary, overrunMs: 0, proberProblem: null });
    await desk.central.alarms.evaluate();
    expect((await board())[0]?.clearedAt).not.toBeNull();
  });

  it('raises the area of a silent agent, and clears it when the agent is heard again', async () => {
    const par = await desk.area('PAR');
    await desk.store.issueAgentKey(
      { areaId: par.id, replacing: null, keyHash: 'a'.repeat(64), keyPrefix: 'prefixaaaa', now: desk.clock.now() },
      desk.audits.agentKey('agent.key_issue'),
    );
    const [agent] = await desk.store.listAgents({});
    const heartbeat = () =>
      desk.store.recordAgentHeartbeat({
        agentId: agent!.agentId,
        at: desk.clock.now(),
        version: 'test',
        report: '{}',
        latencyMs: 12,
        devicesOnline: 0,
        outboxRows: 0,
        clockOffsetMs: 0,
      });
    await heartbeat();
    await desk.central.alarms.evaluate();
    expect(await board()).toEqual([]);
    desk.clock.advance(desk.central.settings.monitor().agentSilenceMs + 1000);
    await desk.central.alarms.evaluate();
    expect(await board()).toMatchObject([
      { kind: 'agent_silent', severity: 'critical', areaCode: 'PAR', clearedAt: null },
    ]);
    await heartbeat();
    await desk.central.alarms.evaluate();
    expect((await board())[0]?.clearedAt).not.toBeNull();
  });

  it('keeps the shift log, refuses a note over its size, and hands over what is open', async () => {
    const ita = await desk.area('ITA');
    for (let i = 1; i <= 5; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
    await desk.sweep();
    desk.prober.setReachable('10.0.0.4', false);
    await desk.sweep();
    const ana = await desk.user('ana', operatorGrid(true), null);
    const viewer = await desk.user('tela', operatorGrid(false), null);
    await desk.clientAs(sessionOf(ana)).call('shift.addNote', { text: 'Chuva forte; link da SNT oscilando.' });
    const long = await failure(desk.clientAs(sessionOf(ana)).call('shift.addNote', { text: 'x'.repeat(4001) }));
    expect(long).toMatchObject({ kind: 'validation', fields: { text: { key: 'too_long' } } });
    const refused = await failure(desk.clientAs(sessionOf(viewer)).call('shift.addNote', { text: 'não posso' }));
    expect(refused.kind).toBe('forbidden');
    const handover = await desk.clientAs(sessionOf(viewer)).call('shift.handover', {});
    expect(handover.notes.map((n) => [n.author, n.text])).toEqual([['ana', 'Chuva forte; link da SNT oscilando.']]);
    expect(handover.down.map((d) => d.deviceName)).toEqual(['CAM-4']);
    expect(handover.alarms.map((a) => a.deviceName)).toEqual(['CAM-4']);
  });

  describe('from the side of a user who must not', () => {
    it('refuses acknowledging an alarm of an area the user may not see, or without the right, changing nothing', async () => {
      const ita = await desk.area('ITA');
      const snt = await desk.area('SNT');
      for (let i = 1; i <= 5; i++) await desk.device(snt.id, `CAM-${i}`, `10.0.1.${i}`);
      await desk.sweep();
      desk.prober.setReachable('10.0.1.1', false);
      await desk.sweep();
      const [alarm] = await board();
      const itaOperator = await desk.user('op-ita', operatorGrid(true), [ita.id]);
      const viewer = await desk.user('tela', operatorGrid(false), null);
      const foreign = await failure(
        desk.clientAs(sessionOf(itaOperator)).call('alarms.acknowledge', { id: alarm!.id, note: 'não é minha' }),
      );
      expect(foreign.kind).toBe('not_found');
      expect((await desk.clientAs(sessionOf(itaOperator)).call('alarms.board', {})).alarms).toEqual([]);
      const noRight = await failure(desk.clientAs(sessionOf(viewer)).call('alarms.acknowledge', { id: alarm!.id }));
      expect(noRight.kind).toBe('forbidden');
      const long = await failure(admin().call('alarms.acknowledge', { id: alarm!.id, note: 'x'.repeat(1001) }));
      expect(long).toMatchObject({ kind: 'validation', fields: { note: { key: 'too_long' } } });
      expect(await desk.store.getAlarm(alarm!.id)).toEqual(alarm);
      expect(await desk.store.listAudit({ action: 'alarm.acknowledge', limit: 10 })).toEqual([]);
    });

    it('lets exactly one of two operators acknowledging at once win', async () => {
      const ita = await desk.area('ITA');
      for (let i = 1; i <= 5; i++) await desk.device(ita.id, `CAM-${i}`, `10.0.0.${i}`);
      await desk.sweep();
      desk.prober.setReachable('10.0.0.1', false);
      await desk.sweep();
      const [alarm] = await board();
      const ana = await desk.user('ana', operatorGrid(true), null);
      const bia = await desk.user('bia', operatorGrid(true), null);
      const results = await Promise.allSettled([
        desk.clientAs(sessionOf(ana)).call('alarms.acknowledge', { id: alarm!.id, note: 'ana' }),
        desk.clientAs(sessionOf(bia)).call('alarms.acknowledge', { id: alarm!.id, note: 'bia' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as ContractCallError).error).toMatchObject({
        kind: 'conflict',
        fields: { _: { key: 'alarm_already_acknowledged' } },
      });
    });

    it('refuses webhook URLs that are not http(s) and bad addresses, keeping the settings it had', async () => {
      const before = await admin().call('settings.delivery.get', {});
      for (const target of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://x/y', 'not a url']) {
        const refused = await failure(
          admin().call('settings.delivery.update', {
            language: 'pt-BR',
            smtp: { host: '', port: 25, security: 'none', username: '', from: '' },
            rules: [rule({ target })],
          }),
        );
        expect(refused).toMatchObject({ kind: 'validation' });
        expect(JSON.stringify(refused)).toContain('invalid_url');
      }
      const badMail = await failure(
        admin().call('settings.delivery.update', {
          language: 'pt-BR',
          smtp: { host: '', port: 25, security: 'none', username: '', from: '' },
          rules: [rule({ channel: 'email', target: 'plantao@, x' })],
        }),
      );
      expect(JSON.stringify(badMail)).toContain('invalid_email');
      expect(await admin().call('settings.delivery.get', {})).toEqual(before);
    });

    it('says which step of SMTP failed, and never hands the password back', async () => {
      const mail = await startMailCatcher({ user: 'vigia', password: 'certa' });
      try {
        const smtp = { host: '127.0.0.1', port: mail.port, security: 'none' as const, from: 'vigia@sala.local' };
        const wrong = await admin().call('settings.delivery.testSmtp', {
          smtp: { ...smtp, username: 'vigia', password: 'errada' },
          to: 'plantao@sala.local',
        });
        expect(wrong).toMatchObject({ ok: false, stage: 'auth' });
        const closed = await admin().call('settings.delivery.testSmtp', {
          smtp: { ...smtp, port: await closedPort(), username: '', password: '' },
          to: 'plantao@sala.local',
        });
        expect(closed).toMatchObject({ ok: false, stage: 'connect' });
        expect(
          await admin().call('settings.delivery.testSmtp', {
            smtp: { ...smtp, username: 'vigia', password: 'certa' },
            to: 'plantao@sala.local',
          }),
        ).toEqual({ ok: true });
        expect(mail.received).toHaveLength(1);
        const saved = await admin().call('settings.delivery.update', {
          language: 'pt-BR',
          smtp: { ...smtp, username: 'vigia', password: 'certa' },
          rules: [],
        });
        expect(saved.smtp).toMatchObject({ passwordSet: true });
        expect(JSON.stringify(saved)).not.toContain('certa');
        // Saving again without typing the password keeps it.
        await admin().call('settings.delivery.update', {
          language: 'pt-BR',
          smtp: { ...smtp, username: 'vigia' },
          rules: [],
        });
        expect(desk.central.settings.delivery().smtp.password).toBe('certa');
        // Pointed at another server without typing it again, the stored password is not sent there, nor kept.
        const rogue = await startMailCatcher({ user: 'vigia', password: 'certa' });
        try {
          const elsewhere = { ...smtp, port: rogue.port, username: 'vigia' };
          expect(
            await admin().call('settings.delivery.testSmtp', { smtp: elsewhere, to: 'x@sala.local' }),
          ).toMatchObject({
            ok: false,
            stage: 'auth',
          });
          expect(rogue.received).toEqual([]);
          await admin().call('settings.delivery.update', { language: 'pt-BR', smtp: elsewhere, rules: [] });
          expect(desk.central.settings.delivery().smtp.password).toBe('');
        } finally {
          await rogue.close();
        }
        const audit = await desk.store.listAudit({ action: 'settings.update', limit: 10 });
        expect(JSON.stringify(audit)).not.toContain('certa');
      } finally {
        await mail.close();
      }
    });
  });
});
