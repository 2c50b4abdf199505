import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CAMERA_MAKES, CAMERA_TEMPLATES, urlHost } from '../../src-shared/domain/camera';
import type { CameraLook, CameraMake, VideoHealth } from '../../src-shared/domain/camera';
import type { Device } from '../../src-shared/domain/device';
import { useCan } from '../auth';
import { FormBanners, TextField, useFormErrors } from '../components/forms';
import { useClient, useQuery } from '../context';
import { formatDateTime } from '../format';

const fromTemplate = (template: string, host: string) => template.replaceAll('{host}', urlHost(host));

/**
 * A camera's picture: how it is reached (a make's template or a typed
 * address, its user and password — the password never shown back) and
 * "Ver imagem agora", the picture with its time and what the check made of it.
 */
export function CameraCard({ device }: { device: Device }) {
  const { t } = useTranslation();
  const access = useQuery('cameras.access', { deviceId: device.id }, []);
  const [look, setLook] = useState<CameraLook | null>(null);
  const [looking, setLooking] = useState(false);
  const client = useClient();
  const { errors, fromError, clear } = useFormErrors();
  const lookNow = async () => {
    setLooking(true);
    clear();
    try {
      setLook(await client.call('cameras.look', { deviceId: device.id }));
    } catch (error) {
      fromError(error);
    } finally {
      setLooking(false);
    }
  };
  return (
    <article className="card card--wide" data-testid="camera-card">
      <h2>{t('camera.title')}</h2>
      {access.data?.health && !look && <LastCheck health={access.data.health} />}
      {access.data !== undefined && (
        <CameraAccessForm device={device} saved={access.data.access} onSaved={() => void access.reload()} />
      )}
      {access.data?.access?.snapshotUrl && (
        <div className="panel__actions">
          <button type="button" onClick={() => void lookNow()} disabled={looking} data-testid="camera-look">
            {looking ? t('camera.looking') : t('camera.lookNow')}
          </button>
        </div>
      )}
      <FormBanners general={errors.general} saved={false} />
      {look && <CameraLookView look={look} />}
    </article>
  );
}

/** The last check (on demand or periodic), with since when the picture has been like this. */
function LastCheck({ health }: { health: VideoHealth }) {
  const { t } = useTranslation();
  return (
    <p data-testid="video-last-check">
      <span className={`badge badge--video-${health.health}`}>{t(`camera.health.${health.health}`)}</span>{' '}
      {t('camera.lastCheck', { at: formatDateTime(health.checkedAt), since: formatDateTime(health.since) })}{' '}
      <span className="muted">{health.detail}</span>
    </p>
  );
}

function CameraLookView({ look }: { look: CameraLook }) {
  const { t } = useTranslation();
  return (
    <div data-testid="camera-look-result">
      <p>
        <span className={`badge badge--video-${look.health.health}`} data-testid="video-health">
          {t(`camera.health.${look.health.health}`)}
        </span>{' '}
        <time>{formatDateTime(look.at)}</time> <span className="muted">{look.health.detail}</span>
      </p>
      {look.image && (
        <img
          className="camera-snapshot"
          src={`data:image/jpeg;base64,${look.image}`}
          alt={t('camera.snapshotAt', { at: formatDateTime(look.at) })}
          data-testid="camera-snapshot"
        />
      )}
      {look.rtsp && (
        <p data-testid="camera-rtsp" className={look.rtsp.ok ? 'good' : 'bad'}>
          {t(look.rtsp.ok ? 'camera.rtspOk' : 'camera.rtspFailed')} <span className="muted">{look.rtsp.detail}</span>
        </p>
      )}
    </div>
  );
}

function CameraAccessForm(props: {
  device: Device;
  saved: { make: CameraMake; snapshotUrl: string; rtspUrl: string; username: string; hasPassword: boolean } | null;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const can = useCan();
  const mayEdit = can('devices', 'edit');
  const { errors, fromError, clear } = useFormErrors();
  const [saved, setSaved] = useState(false);
  const [make, setMake] = useState<CameraMake>(props.saved?.make ?? 'hikvision');
  const [fields, setFields] = useState({ snapshotUrl: '', rtspUrl: '', username: '', password: '' });
  useEffect(() => {
    const s = props.saved;
    setFields({
      snapshotUrl: s?.snapshotUrl ?? '',
      rtspUrl: s?.rtspUrl ?? '',
      username: s?.username ?? '',
      password: '',
    });
  }, [props.saved]);
  const chooseMake = (next: CameraMake) => {
    setMake(next);
    const template = CAMERA_TEMPLATES[next];
    setFields((f) => ({
      ...f,
      snapshotUrl: fromTemplate(template.snapshot, props.device.host),
      rtspUrl: template.rtsp ? fromTemplate(template.rtsp, props.device.host) : '',
    }));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setSaved(false);
    try {
      await client.call('cameras.saveAccess', {
        deviceId: props.device.id,
        make,
        snapshotUrl: fields.snapshotUrl,
        rtspUrl: fields.rtspUrl,
        username: fields.username,
        // Left empty, the saved password stays as it is.
        ...(fields.password ? { password: fields.password } : {}),
      });
      setSaved(true);
      props.onSaved();
    } catch (error) {
      fromError(error);
    }
  };
  const field = (name: keyof typeof fields, type = 'text') => (
    <TextField
      name={name}
      type={type}
      label={t(`camera.${name}`)}
      value={fields[name]}
      onChange={(value) => setFields((f) => ({ ...f, [name]: value }))}
      error={errors.fields[name]}
      autoComplete={type === 'password' ? 'new-password' : 'off'}
    />
  );
  if (!mayEdit) return null;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="camera-access">
      <label>
        {t('camera.make')}
        <select value={make} onChange={(e) => chooseMake(e.target.value as CameraMake)} data-testid="camera-make">
          {CAMERA_MAKES.map((m) => (
            <option key={m} value={m}>
              {t(`camera.makes.${m}`)}
            </option>
          ))}
        </select>
      </label>
      {field('snapshotUrl')}
      {field('rtspUrl')}
      {field('username')}
      {field('password', 'password')}
      {props.saved?.hasPassword && <p className="field__hint">{t('camera.passwordKept')}</p>}
      <FormBanners general={errors.general} saved={saved} />
      <div className="panel__actions">
        <button type="submit" className="primary" data-testid="camera-save">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
