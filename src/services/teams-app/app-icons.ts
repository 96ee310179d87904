import { encodePng, type Image } from './png.js';

/**
 * The app's two icons, drawn here so that they can be remade without an image editor: the four
 * Ps of the plan as a two-by-two grid of tiles. Teams wants a 192×192 full-colour icon and a
 * 32×32 outline icon that is white on transparent.
 */

export const ACCENT = '#1B3A5C';
const NAVY: Rgba = [0x1b, 0x3a, 0x5c, 255];
const WHITE: Rgba = [255, 255, 255, 255];
/** Prepare, the strand the profile itself serves, picked out in the colour icon. */
const SKY: Rgba = [0x7f, 0xb8, 0xe6, 255];

type Rgba = [number, number, number, number];

export function colourIcon(): Buffer {
  const image = blank(192, 192);
  fill(image, 0, 0, 192, 192, 0, NAVY);
  grid(image, 42, 48, 12, 8, [SKY, WHITE, WHITE, WHITE]);
  return encodePng(image);
}

export function outlineIcon(): Buffer {
  const image = blank(32, 32);
  grid(image, 3, 11, 4, 2, [WHITE, WHITE, WHITE, WHITE]);
  return encodePng(image);
}

function blank(width: number, height: number): Image {
  return { width, height, rgba: new Uint8Array(width * height * 4) };
}

function grid(image: Image, margin: number, tile: number, gap: number, radius: number, colours: Rgba[]): void {
  for (let i = 0; i < 4; i++) {
    const x = margin + (i % 2) * (tile + gap);
    const y = margin + Math.floor(i / 2) * (tile + gap);
    fill(image, x, y, tile, tile, radius, colours[i]!);
  }
}

/**
 * A rounded rectangle, edges smoothed by 4×4 samples a pixel. Drawn over what is there; on a
 * transparent pixel the colour keeps its own value and takes the coverage as alpha, so the
 * outline icon stays pure white.
 */
function fill(image: Image, x0: number, y0: number, w: number, h: number, r: number, colour: Rgba): void {
  const inside = (px: number, py: number) => {
    const cx = Math.min(Math.max(px, x0 + r), x0 + w - r);
    const cy = Math.min(Math.max(py, y0 + r), y0 + h - r);
    return px >= x0 && px <= x0 + w && py >= y0 && py <= y0 + h && (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
  };
  for (let y = Math.floor(y0); y < Math.ceil(y0 + h); y++) {
    for (let x = Math.floor(x0); x < Math.ceil(x0 + w); x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
      if (hits === 0) continue;
      const coverage = hits / 16;
      const at = (y * image.width + x) * 4;
      const under = image.rgba.subarray(at, at + 4);
      const alpha = under[3]! / 255;
      if (alpha === 0) {
        image.rgba.set([colour[0], colour[1], colour[2], Math.round(coverage * 255)], at);
        continue;
      }
      for (let c = 0; c < 3; c++) under[c] = Math.round(colour[c]! * coverage + under[c]! * (1 - coverage));
      under[3] = Math.round(255 * (coverage + alpha * (1 - coverage)));
    }
  }
}
