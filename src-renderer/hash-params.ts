import { useCallback, useEffect, useState } from 'react';

function read(): Record<string, string> {
  const query = location.hash.split('?')[1] ?? '';
  return Object.fromEntries(new URLSearchParams(query));
}

/**
 * A screen's filters kept in the address (#/devices?status=OFFLINE&sort=duration):
 * a reload, a bookmark or a link from the dashboard shows the same list. Empty
 * values are left out. Changing them replaces the history entry rather than
 * adding one per keystroke.
 */
export function useHashParams(): [Record<string, string>, (next: Record<string, string>) => void] {
  const [params, setParams] = useState(read);
  useEffect(() => {
    const onHash = () => setParams(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const update = useCallback((next: Record<string, string>) => {
    const path = location.hash.split('?')[0] || '#/';
    const query = new URLSearchParams(Object.entries(next).filter(([, value]) => value !== '')).toString();
    history.replaceState(null, '', `${location.pathname}${location.search}${path}${query ? `?${query}` : ''}`);
    setParams(read());
  }, []);
  return [params, update];
}
