import { useCallback, useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { Alarm } from '../src-shared/domain/alarms';
import { useClient } from './context';

/*
 * How an alarm reaches a person who is not looking at the screen: the page
 * title and the favicon (a tab in the background), a sound repeated until
 * somebody acknowledges, and a desktop notification. In the desktop app the
 * renderer's Notification is Electron's native one; in a browser, the
 * browser's.
 */

const MUTE_KEY = 'vigia.alarmsMuted';
/** The sound repeats this often while an alarm waits for acknowledgement. */
export const SOUND_REPEAT_MS = 5000;
const BASE_TITLE = 'Vigia';

/** Muting is this workstation's choice (a supervisor's desk), not the account's. */
export function useMuted(): [boolean, (muted: boolean) => void] {
  const client = useClient();
  const [muted, setMuted] = useState(() => localStorage.getItem(MUTE_KEY) === '1');
  const set = useCallback((next: boolean) => {
    localStorage.setItem(MUTE_KEY, next ? '1' : '0');
    setMuted(next);
  }, []);
  // The desktop app's tray mutes too.
  useEffect(() => client.on('alarms.muteRequested', ({ muted: next }) => set(next)), [client, set]);
  return [muted, set];
}

export function useTitleBadge(count: number): void {
  useEffect(() => {
    document.title = count > 0 ? `(${count}) ${BASE_TITLE}` : BASE_TITLE;
    return () => {
      document.title = BASE_TITLE;
    };
  }, [count]);
}

/** The tab's icon with a red disc and the count, drawn on a canvas; the plain icon when nothing waits. */
export function useFaviconBadge(count: number): void {
  useEffect(() => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) return;
    const plain = link.dataset.plain ?? link.href;
    link.dataset.plain = plain;
    if (count === 0) {
      link.href = plain;
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 32;
    const context = canvas.getContext('2d');
    if (!context) return;
    const image = new Image();
    let cancelled = false;
    image.onload = () => {
      if (cancelled) return;
      context.drawImage(image, 0, 0, 32, 32);
      context.fillStyle = '#d32f2f';
      context.beginPath();
      context.arc(22, 10, 10, 0, 2 * Math.PI);
      context.fill();
      context.fillStyle = '#ffffff';
      context.font = 'bold 14px sans-serif';
      context.textAlign = 'center';
      context.textBaseline = 'middle';
      context.fillText(count > 9 ? '9+' : String(count), 22, 11);
      link.href = canvas.toDataURL('image/png');
    };
    image.src = plain;
    return () => {
      cancelled = true;
    };
  }, [count]);
}

/**
 * Plays the alarm every few seconds while `active`. A browser refuses sound
 * until the page was clicked (autoplay rules): then `blocked` is true and
 * `unlock`, called from a click, plays it and asks once for notifications.
 */
export function useAlarmSound(audio: RefObject<HTMLAudioElement | null>, active: boolean) {
  const [blocked, setBlocked] = useState(false);
  const play = useCallback(() => {
    const element = audio.current;
    if (!element) return;
    element.currentTime = 0;
    element.play().then(
      () => setBlocked(false),
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'NotAllowedError') setBlocked(true);
      },
    );
  }, [audio]);
  useEffect(() => {
    if (!active) {
      audio.current?.pause();
      return;
    }
    play();
    const timer = window.setInterval(play, SOUND_REPEAT_MS);
    return () => window.clearInterval(timer);
  }, [active, play, audio]);
  const unlock = useCallback(() => {
    if (active) play();
    if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
    setBlocked(false);
  }, [active, play]);
  return { blocked, unlock };
}

/** Whether the browser still has to be asked about notifications (the bar offers to, once). */
export function notificationsUndecided(): boolean {
  return 'Notification' in window && Notification.permission === 'default';
}

/**
 * One desktop notification per alarm that opens while the screen is open
 * (those already there when the screen loaded were seen on it).
 */
export function useAlarmNotifications(alarms: readonly Alarm[] | undefined, describe: (alarm: Alarm) => string): void {
  const seen = useRef<Set<number> | null>(null);
  useEffect(() => {
    if (!alarms) return;
    const fresh = alarms.filter((a) => a.clearedAt === null && a.acknowledgedAt === null);
    if (seen.current === null) {
      seen.current = new Set(alarms.map((a) => a.id));
      return;
    }
    const known = seen.current;
    for (const alarm of fresh) {
      if (known.has(alarm.id)) continue;
      known.add(alarm.id);
      if (!('Notification' in window) || Notification.permission !== 'granted') continue;
      const notification = new Notification(BASE_TITLE, {
        body: describe(alarm),
        tag: `vigia-alarm-${alarm.id}`,
        requireInteraction: alarm.severity === 'critical',
      });
      notification.onclick = () => {
        window.focus();
        location.hash = '#/alarms';
      };
    }
  }, [alarms, describe]);
}
