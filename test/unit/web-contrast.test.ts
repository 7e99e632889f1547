import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// The page's colours (web/src/page/page.css) against WCAG 2 AA: every text colour on the backgrounds it
// is used on reaches 4.5:1. Changing a colour in the CSS runs this again.

const css = readFileSync(resolve(__dirname, '../../web/src/page/page.css'), 'utf8');
const colours = Object.fromEntries([...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1] ?? '', m[2] ?? '']));

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const linear = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** [text, background], as page.css uses them. */
const PAIRS: [string, string][] = [
  ['ink', 'paper'],
  ['muted', 'paper'],
  ['muted', 'panel'],
  ['accent', 'paper'],
  ['ok-ink', 'ok-bg'],
  ['ok-ink', 'paper'],
  ['bad-ink', 'bad-bg'],
  ['bad-ink', 'paper'],
  ['busy-ink', 'busy-bg'],
  ['busy-ink', 'paper'],
  ['muted', 'bad-bg'],
];

describe("the page's colours", () => {
  it.each(PAIRS)('--%s on --%s reaches 4.5:1', (text, background) => {
    expect(colours[text]).toBeDefined();
    expect(colours[background]).toBeDefined();
    expect(contrast(colours[text] ?? '', colours[background] ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  it('white button text on --accent reaches 4.5:1', () => {
    expect(contrast('#ffffff', colours.accent ?? '')).toBeGreaterThanOrEqual(4.5);
  });
});
