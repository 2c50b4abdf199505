import { useTranslation } from 'react-i18next';
import { useQuery } from '../context';
import type { Device } from '../../src-shared/domain/device';

/** Devices as options, "ITA · CAM-01 (10.0.0.1)"; value 0 means none chosen (main answers `required`). */
export function DeviceSelect({
  devices,
  value,
  onChange,
  aria,
}: {
  devices: readonly Device[];
  value: number;
  onChange: (id: number) => void;
  aria: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string };
}) {
  const { t } = useTranslation();
  return (
    <select {...aria} name="deviceId" value={value} onChange={(e) => onChange(Number(e.target.value))}>
      <option value={0}>{t('workflow.chooseDevice')}</option>
      {devices.map((d) => (
        <option key={d.id} value={d.id}>
          {d.areaCode} · {d.name} ({d.host})
        </option>
      ))}
    </select>
  );
}

/** Devices a workflow can start on: those the monitor probes (ONLINE or OFFLINE), kept current. */
export function useProbedDevices(): Device[] {
  const devices = useQuery('devices.list', {}, ['devices.changed', 'devices.statusChanged']);
  return (devices.data ?? []).filter((d) => d.status === 'ONLINE' || d.status === 'OFFLINE');
}
