import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Noto Sans SC (SIL OFL), shipped as TrueType by @expo-google-fonts/noto-sans-sc. Resolved through
 * the package, not a relative path, so it works from src/ (tsx, vitest) and from dist/ alike.
 * Read once per process (about 10 MB each); pdfkit embeds only the glyphs a document uses.
 */
const FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

export type FontWeight = keyof typeof FILES;

/** What pdfkit accepts as an already-parsed font: a fontkit font (it checks for `layout`). */
export type ParsedFont = { layout: (...args: never[]) => unknown };

/**
 * Parsing the 10 MB font is most of a document's cost, so the parsed font is kept and shared by
 * every document (pdfkit subsets it per document; the font object itself is only read). It is
 * parsed by the fontkit that pdfkit itself depends on, so the two always agree.
 */
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as {
  create(data: Uint8Array): ParsedFont;
};

const cache = new Map<FontWeight, ParsedFont>();

export function cjkFont(weight: FontWeight): ParsedFont {
  let font = cache.get(weight);
  if (!font) {
    font = fontkit.create(readFileSync(require.resolve(FILES[weight])));
    cache.set(weight, font);
  }
  return font;
}
