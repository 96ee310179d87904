import { deflateSync, inflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';

/**
 * Just enough PNG for the app icons: write 8-bit RGBA, and read back the size and pixels of the
 * common non-interlaced 8-bit kinds, so the packager can check an icon someone replaced.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Image {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  rgba: Uint8Array;
}

export function encodePng(image: Image): Buffer {
  const { width, height, rgba } = image;
  if (rgba.length !== width * height * 4) throw new RangeError('rgba must hold 4 bytes for every pixel');
  const stride = width * 4;
  // Filter type 0 (None) on every row: icons are small, and zlib does the work.
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

/** The IHDR of a PNG, or a sentence saying why the bytes are not one. */
export function readPngHeader(bytes: Uint8Array): PngHeader | string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) return 'is not a PNG file';
  if (buf.toString('latin1', 12, 16) !== 'IHDR') return 'is not a PNG file (no IHDR first)';
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24]!,
    colourType: buf[25]!,
    interlaced: buf[28] !== 0,
  };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * The pixels of an 8-bit, non-interlaced PNG (grey, RGB, palette, grey+alpha or RGBA) as RGBA;
 * undefined for other kinds (16-bit, interlaced), whose colours the caller cannot check.
 */
export function decodePng(bytes: Uint8Array): Image | undefined {
  const header = readPngHeader(bytes);
  if (typeof header === 'string' || header.bitDepth !== 8 || header.interlaced) return undefined;
  const channels = CHANNELS[header.colourType];
  if (channels === undefined) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Buffer[] = [];
  let palette: Buffer | undefined;
  let transparency: Buffer | undefined;
  for (let at = 8; at + 12 <= buf.length;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IDAT') idat.push(data);
    if (type === 'PLTE') palette = data;
    if (type === 'tRNS') transparency = data;
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const { width, height } = header;
  const stride = width * channels;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return undefined;
  }
  if (raw.length < (stride + 1) * height) return undefined;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (predictor === undefined) return undefined;
      out[x] = (line[x]! + predictor) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = pixels.subarray(i * channels, (i + 1) * channels);
    let rgbaPixel: [number, number, number, number];
    switch (header.colourType) {
      case 0:
        rgbaPixel = [p[0]!, p[0]!, p[0]!, 255];
        break;
      case 2:
        rgbaPixel = [p[0]!, p[1]!, p[2]!, 255];
        break;
      case 3: {
        const index = p[0]!;
        if (!palette || index * 3 + 2 >= palette.length) return undefined;
        rgbaPixel = [
          palette[index * 3]!,
          palette[index * 3 + 1]!,
          palette[index * 3 + 2]!,
          transparency?.[index] ?? 255,
        ];
        break;
      }
      case 4:
        rgbaPixel = [p[0]!, p[0]!, p[0]!, p[1]!];
        break;
      default:
        rgbaPixel = [p[0]!, p[1]!, p[2]!, p[3]!];
    }
    rgba.set(rgbaPixel, i * 4);
  }
  return { width, height, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
