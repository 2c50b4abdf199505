// Wraps resources/icon.png (256×256, drawn from resources/icons/vigia.svg) into
// resources/icon.ico, the Windows icon of the installer and the app: an ICO
// whose one image is the PNG itself (Windows Vista and later read PNG icons).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const resources = join(import.meta.dirname, '..', 'resources');
const png = readFileSync(join(resources, 'icon.png'));
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0); // reserved
header.writeUInt16LE(1, 2); // icon
header.writeUInt16LE(1, 4); // one image
const entry = Buffer.alloc(16);
entry.writeUInt8(0, 0); // width 256
entry.writeUInt8(0, 1); // height 256
entry.writeUInt8(0, 2); // no palette
entry.writeUInt8(0, 3);
entry.writeUInt16LE(1, 4); // colour planes
entry.writeUInt16LE(32, 6); // bits per pixel
entry.writeUInt32LE(png.length, 8);
entry.writeUInt32LE(header.length + entry.length, 12);
writeFileSync(join(resources, 'icon.ico'), Buffer.concat([header, entry, png]));
