import { describe, expect, it } from 'vitest';
import { isEmailAddress, isHttpUrl, splitAddresses } from '../../src-shared/domain/alarm-delivery';
import { DEFAULT_ALARM_SETTINGS } from '../../src-shared/domain/alarms';
import type { Alarm } from '../../src-shared/domain/alarms';
import { alarmsThatHold } from '../../src-main/core/alarms/conditions';
import type { AlarmFacts } from '../../src-main/core/alarms/conditions';
import { retryDelay } from '../../src-main/core/alarms/deliveries';
import { webhookBody } from '../../src-main/core/alarms/messages';

const facts = (over: Partial<AlarmFacts>): AlarmFacts => ({
  devices: [],
  changesInWindow: new Map(),
  silentAgentAreaIds: [],
  overrunStreak: 0,
  storeUsedPercent: null,
  badVideo: [],
  ...over,
});
const dev = (
  id: number,
  areaId: number,
  status: AlarmFacts['devices'][number]['status'],
  parentId: number | null = null,
) => ({
  id,
  areaId,
  status,
  parentId,
});
const keys = (f: AlarmFacts, settings = DEFAULT_ALARM_SETTINGS) =>
  alarmsThatHold(f, settings)
    .map((a) => a.subjectKey)
    .sort();

describe('alarm conditions', () => {
  it('raises one video alarm per online camera whose picture is bad, none for a camera that is down', () => {
    const devices = [dev(1, 7, 'ONLINE'), dev(2, 7, 'ONLINE'), dev(3, 7, 'OFFLINE')];
    const badVideo = [
      { deviceId: 1, health: 'frozen' as const },
      { deviceId: 3, health: 'no_image' as const },
    ];
    expect(keys(facts({ devices, badVideo }))).toEqual(['device_offline:3', 'video_bad:1']);
    const video = alarmsThatHold(facts({ devices, badVideo }), DEFAULT_ALARM_SETTINGS).find(
      (a) => a.kind === 'video_bad',
    );
    expect(video).toMatchObject({ kind: 'video_bad', severity: 'major', deviceId: 1, detail: { health: 3 } });
  });

  it('groups an area that lost most of its watched devices under one alarm', () => {
    const devices = [1, 2, 3, 4].map((id) => dev(id, 7, 'OFFLINE'));
    devices.push(dev(5, 7, 'ONLINE'), dev(6, 7, 'MAINTENANCE'), dev(9, 8, 'OFFLINE'));
    // 4 of 5 watched (maintenance does not count): 80 %, at the threshold.
    expect(keys(facts({ devices }))).toEqual(['area_link_lost:7', 'device_offline:9']);
    expect(keys(facts({ devices }), { ...DEFAULT_ALARM_SETTINGS, areaLossPercent: 90 })).toEqual([
      'device_offline:1',
      'device_offline:2',
      'device_offline:3',
      'device_offline:4',
      'device_offline:9',
    ]);
  });

  it('needs a minimum of devices down before an area counts as lost', () => {
    const devices = [dev(1, 7, 'OFFLINE'), dev(2, 7, 'OFFLINE')];
    expect(keys(facts({ devices }))).toEqual(['device_offline:1', 'device_offline:2']);
  });

  it('silences the devices behind a down parent, however far down', () => {
    const devices = [
      dev(1, 7, 'OFFLINE'),
      dev(2, 7, 'OFFLINE', 1),
      dev(3, 7, 'OFFLINE', 2),
      ...[10, 11, 12, 13, 14, 15].map((id) => dev(id, 7, 'ONLINE')),
    ];
    expect(keys(facts({ devices }))).toEqual(['device_offline:1']);
    // A loop written by hand in the database never hangs the evaluation.
    const loop = [dev(1, 7, 'OFFLINE', 2), dev(2, 7, 'ONLINE', 1), ...[10, 11, 12].map((id) => dev(id, 7, 'ONLINE'))];
    expect(keys(facts({ devices: loop }))).toEqual(['device_offline:1']);
  });

  it('names an unstable device once it changed often enough in the window', () => {
    const devices = [dev(1, 7, 'ONLINE'), dev(2, 7, 'ONLINE')];
    const changesInWindow = new Map([
      [1, 4],
      [2, 3],
    ]);
    expect(keys(facts({ devices, changesInWindow }))).toEqual(['device_unstable:1']);
  });

  it('raises silent agents, overrunning sweeps and a filling store', () => {
    expect(keys(facts({ silentAgentAreaIds: [3], overrunStreak: 3, storeUsedPercent: 81 }))).toEqual([
      'agent_silent:3',
      'store_capacity',
      'sweep_overrun',
    ]);
    expect(keys(facts({ overrunStreak: 2, storeUsedPercent: 79 }))).toEqual([]);
  });
});

describe('alarm delivery rules', () => {
  it('accepts http(s) webhook URLs only', () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'https://api.telegram.org/bot123:ABC/sendMessage',
      'https://x.webhook.office.com/webhookb2/abc@def/IncomingWebhook/1',
      'http://[::1]:80/x',
    ]) {
      expect(isHttpUrl(url), url).toBe(true);
    }
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://x/y', 'not a url', 'http://', 'http:// x']) {
      expect(isHttpUrl(url), url).toBe(false);
    }
  });

  it('reads lists of e-mail addresses', () => {
    expect(splitAddresses(' a@x.com; b@y.com.br ,')).toEqual(['a@x.com', 'b@y.com.br']);
    expect(['a@x.com', 'plantao@sala.local'].every(isEmailAddress)).toBe(true);
    expect(['plantao@', 'x', 'a b@c.d', '<a@b.c>'].some(isEmailAddress)).toBe(false);
  });

  it('waits longer after each failed attempt, up to half an hour', () => {
    expect([1, 2, 3, 4, 10].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 240_000, 1_800_000]);
  });

  it('writes the bodies Telegram and Teams read', () => {
    const alarm: Alarm = {
      id: 1,
      kind: 'area_link_lost',
      severity: 'critical',
      areaId: 3,
      areaCode: 'ITA',
      deviceId: null,
      deviceName: null,
      openedAt: Date.UTC(2026, 11, 2, 13, 5),
      clearedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      note: null,
      detail: { down: 40, watched: 42 },
    };
    expect(webhookBody(alarm, 'telegram', '-100123', 'pt-BR', 'America/Sao_Paulo')).toEqual({
      chat_id: '-100123',
      text: expect.stringMatching(/^\[CRÍTICO\] Área sem link — ITA\ndesde 02\/12\/2026.*10:05/) as unknown,
    });
    expect(webhookBody(alarm, 'teams', '', 'en', 'UTC')).toMatchObject({
      '@type': 'MessageCard',
      title: '[CRITICAL] Area link lost — ITA',
      themeColor: 'C50F1F',
    });
    expect(webhookBody(alarm, 'json', '', 'en', 'UTC')).toMatchObject({ alarm: { id: 1, detail: { down: 40 } } });
  });
});
