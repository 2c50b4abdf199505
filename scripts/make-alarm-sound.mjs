// Writes resources/sounds/alarm.wav: two short tones, high then low, the way a
// control-room alarm sounds, loud enough to hear over a room and short enough
// to repeat every few seconds. Run once; the file is committed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RATE = 22_050;
const TONES = [
  { hz: 880, seconds: 0.25 },
  { hz: 0, seconds: 0.05 },
  { hz: 660, seconds: 0.3 },
];
const samples = [];
for (const { hz, seconds } of TONES) {
  const n = Math.round(RATE * seconds);
  for (let i = 0; i < n; i++) {
    // A 10 ms fade at both ends keeps the speaker from clicking.
    const fade = Math.min(1, i / (RATE * 0.01), (n - i) / (RATE * 0.01));
    samples.push(hz === 0 ? 0 : Math.sin((2 * Math.PI * hz * i) / RATE) * 0.6 * fade);
  }
}
const data = Buffer.alloc(samples.length * 2);
samples.forEach((s, i) => data.writeInt16LE(Math.round(s * 32767), i * 2));
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + data.length, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(RATE, 24);
header.writeUInt32LE(RATE * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(data.length, 40);
writeFileSync(join(import.meta.dirname, '..', 'resources', 'sounds', 'alarm.wav'), Buffer.concat([header, data]));
