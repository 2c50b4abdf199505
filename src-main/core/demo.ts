import type { DeviceContext, DeviceType } from '../../src-shared/domain/device';
import { subjectOf } from './audit';
import type { Auditor } from './audit';
import type { Store } from './store/port';

const DEMO_AREAS = [
  { code: 'ITA', name: 'Itajaí', timeZone: 'America/Sao_Paulo' },
  { code: 'SNT', name: 'Santos', timeZone: 'America/Sao_Paulo' },
  { code: 'PAR', name: 'Paranaguá', timeZone: 'America/Sao_Paulo' },
] as const;

const LOCATIONS = [
  'Portaria principal',
  'Pátio de contêineres',
  'Armazém 1',
  'Armazém 2',
  'Cais',
  'Balança',
  'Recinto alfandegado',
];

/**
 * Seeds three areas and twenty devices each on loopback addresses, so a
 * newcomer's first `npm run serve -- --demo` shows a living control room.
 * Refuses to touch a store that already has areas.
 */
export async function seedDemo(store: Store, auditor: Auditor): Promise<{ areas: number; devices: number } | null> {
  if ((await store.listAreas()).length > 0) return null;
  const actor = { userId: null, username: 'demo' };
  let deviceCount = 0;
  for (const [areaIndex, spec] of DEMO_AREAS.entries()) {
    const area = await store.createArea(spec, auditor.change(actor, 'area.create', subjectOf.area));
    for (let n = 1; n <= 20; n++) {
      const type: DeviceType = n <= 14 ? 'camera' : 'access_control';
      const context: DeviceContext = n % 3 === 0 ? 'rfb' : 'normal';
      const label = type === 'camera' ? `CAM-${String(n).padStart(2, '0')}` : `CA-${String(n - 14).padStart(2, '0')}`;
      await store.createDevice(
        {
          name: `${spec.code}-${label}`,
          type,
          context,
          host: `127.0.${areaIndex + 1}.${n}`,
          areaId: area.id,
          location: LOCATIONS[n % LOCATIONS.length] ?? '',
          notes: '',
        },
        auditor.change(actor, 'device.create', subjectOf.device),
      );
      deviceCount++;
    }
  }
  return { areas: DEMO_AREAS.length, devices: deviceCount };
}
