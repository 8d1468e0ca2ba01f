// Draws Okta Medic's toolbar/store icons (a blue shield with a white medical cross) and writes
// them as PNGs to extension/icons/icon-{16,32,48,128}.png. Original artwork, no image library:
// each pixel is supersampled against the shape's geometry, then encoded with node:zlib.
// Usage: node tools/make-icons.mjs   (the PNGs are committed; rerun only to change the art)
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'extension', 'icons');
const SIZES = [16, 32, 48, 128];
const SAMPLES = 8; // per axis, per pixel

const BLUE = [0x16, 0x62, 0xdd]; // shield
const DARK = [0x0b, 0x3f, 0x9e]; // rim
const WHITE = [0xff, 0xff, 0xff]; // cross

// Shape in unit coordinates (0..1, y down). The shield is flat-topped with rounded corners and
// narrows to a point; the rim is the outer band of the same outline.
const TOP = 0.06;
const SHOULDER = 0.5;
const TIP = 0.96;
const HALF = 0.4;
const CORNER = 0.1;

function shieldHalfWidth(y) {
  if (y < TOP || y > TIP) return -1;
  if (y <= SHOULDER) return HALF;
  const t = (y - SHOULDER) / (TIP - SHOULDER);
  return HALF * (1 - t * t);
}

function insideShield(x, y, inset) {
  const dx = Math.abs(x - 0.5);
  const top = TOP + inset;
  if (y < top) return false;
  const hw = shieldHalfWidth(y + inset * 0.6) - inset;
  if (dx > hw) return false;
  // rounded top corners
  const cx = HALF - inset - CORNER;
  const cy = top + CORNER;
  if (dx > cx && y < cy) return (dx - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2;
  return true;
}

function insideCross(x, y, size) {
  const arm = 0.22;
  const half = Math.max(0.075, 1.25 / size);
  const cx = 0.5;
  const cy = 0.45;
  const dx = Math.abs(x - cx);
  const dy = Math.abs(y - cy);
  return (dx <= half && dy <= arm) || (dy <= half && dx <= arm);
}

function colourAt(x, y, size) {
  const rim = Math.max(0.045, 1 / size);
  if (!insideShield(x, y, 0)) return null;
  if (!insideShield(x, y, rim)) return DARK;
  return insideCross(x, y, size) ? WHITE : BLUE;
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colourAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size, size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          hits++;
        }
      }
      const i = (py * size + px) * 4;
      if (hits) {
        rgba[i] = Math.round(r / hits);
        rgba[i + 1] = Math.round(g / hits);
        rgba[i + 2] = Math.round(b / hits);
        rgba[i + 3] = Math.round((255 * hits) / (SAMPLES * SAMPLES));
      }
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

// PNG (RFC 2083): 8-bit RGBA, no interlace, filter type 0 on every row.
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT_DIR, { recursive: true });
for (const size of SIZES) {
  const path = join(OUT_DIR, `icon-${size}.png`);
  writeFileSync(path, encodePng(size, render(size)));
  console.log(`wrote ${path}`);
}
