// A signature (or any picture) put into a PDF must be a well-formed PNG: pdfkit's PNG decoder inflates
// image data asynchronously, and a corrupt image would fail outside any request's error handling. So a
// PNG is checked fully when it arrives: chunk CRCs, the header, and the image data inflated to exactly
// the size its header promises.
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface PngInfo { width: number; height: number }

/** The PNG's size, or an explanation of what is wrong with it. */
export function checkPng(b: Buffer, limits = { maxSide: 4000 }): { ok: true; info: PngInfo } | { ok: false; reason: string } {
  if (b.length < 57 || !b.subarray(0, 8).equals(SIGNATURE)) return { ok: false, reason: 'not a PNG file' };
  let pos = 8;
  let header: { width: number; height: number; depth: number; colour: number; interlace: number } | null = null;
  const data: Buffer[] = [];
  let ended = false;
  while (pos + 12 <= b.length) {
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > b.length) return { ok: false, reason: `chunk ${type} runs past the end` };
    const body = b.subarray(pos + 8, pos + 8 + length);
    if ((crc32(b.subarray(pos + 4, pos + 8 + length)) >>> 0) !== b.readUInt32BE(pos + 8 + length)) return { ok: false, reason: `chunk ${type} is damaged (CRC)` };
    if (type === 'IHDR') {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], colour: body[9], interlace: body[12] };
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') { ended = true; break; }
    pos += 12 + length;
  }
  if (!header || !ended || !data.length) return { ok: false, reason: 'the image header, data or end is missing' };
  const { width, height, depth, colour, interlace } = header;
  if (!width || !height || width > limits.maxSide || height > limits.maxSide) return { ok: false, reason: `the image is ${width}×${height}; at most ${limits.maxSide} pixels a side` };
  if (!(colour in CHANNELS) || ![1, 2, 4, 8].includes(depth) || (colour !== 0 && colour !== 3 && depth !== 8) || interlace !== 0) {
    return { ok: false, reason: 'only non-interlaced 8-bit PNGs (as a canvas draws them) are taken' };
  }
  const rowBytes = Math.ceil((width * CHANNELS[colour] * depth) / 8);
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(data), { maxOutputLength: (rowBytes + 1) * height + 1 });
  } catch {
    return { ok: false, reason: 'the image data cannot be read' };
  }
  if (raw.length !== (rowBytes + 1) * height) return { ok: false, reason: 'the image data does not match its size' };
  return { ok: true, info: { width, height } };
}

/** A PNG of the given RGBA pixels (tests, and placeholders): the inverse of what checkPng reads. */
export function encodePng(width: number, height: number, rgba: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, bl, a] = rgba(x, y);
      raw.set([r, g, bl, a], y * (width * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
