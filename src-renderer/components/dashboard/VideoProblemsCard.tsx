import { useTranslation } from 'react-i18next';
import type { VideoProblem } from '../../../src-shared/domain/camera';
import { formatDateTime } from '../../format';

/** Cameras that answer ping but whose picture is bad: shown only while there are some. */
export function VideoProblemsCard({ data }: { data: VideoProblem[] | undefined }) {
  const { t } = useTranslation();
  if (!data || data.length === 0) return null;
  return (
    <article className="card" data-testid="video-problems">
      <h2>
        {t('camera.problemsTitle')} <span className="count-pill count-pill--bad">{data.length}</span>
      </h2>
      <table className="grid grid--compact">
        <tbody>
          {data.map((p) => (
            <tr key={p.deviceId} data-video-device={p.deviceName}>
              <td className="nowrap">
                <a href={`#/devices/${p.deviceId}`}>{p.deviceName}</a>
              </td>
              <td className="mono">{p.areaCode}</td>
              <td>
                <span className={`badge badge--video-${p.health}`}>{t(`camera.health.${p.health}`)}</span>
              </td>
              <td className="nowrap">{formatDateTime(p.since)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
