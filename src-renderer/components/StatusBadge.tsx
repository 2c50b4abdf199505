import { useTranslation } from 'react-i18next';
import type { DeviceStatus } from '../../src-shared/domain/status';
import { formatDateTime } from '../format';

/** A device's status in its colour; a device not probed yet says so in words. */
export function StatusBadge({ status, since }: { status: DeviceStatus; since?: number }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge badge--${status.toLowerCase()}`}
      title={since === undefined ? undefined : t('detail.since', { at: formatDateTime(since) })}
    >
      {t(`status.${status}`)}
    </span>
  );
}
