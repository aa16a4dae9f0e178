// Real PNG icons, drawn once when a catalog is loaded: one per operating system (a coloured tile
// with a ring), shared by every image of that os that has an icon.
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 64;

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A stable colour per name: hue from a string hash. */
function colourOf(name: string): [number, number, number] {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (0.55 - 0.35 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** A 64x64 RGBA PNG: a tile in the name's colour with a white ring. */
export function drawIcon(name: string): Buffer {
  const [r, g, b] = colourOf(name);
  const rows: Buffer[] = [];
  const centre = (SIZE - 1) / 2;
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0 (none), then RGBA pixels
    for (let x = 0; x < SIZE; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      const ring = distance > 14 && distance < 20;
      const corner = Math.max(Math.abs(x - centre), Math.abs(y - centre)) > 29 && distance > 40;
      const offset = 1 + x * 4;
      row[offset] = ring ? 255 : r;
      row[offset + 1] = ring ? 255 : g;
      row[offset + 2] = ring ? 255 : b;
      row[offset + 3] = corner ? 0 : 255;
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
