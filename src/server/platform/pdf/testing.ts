import { inflateSync } from 'node:zlib';

/**
 * Reading back what `renderPdf` wrote, for tests (and the e2e journey): the text of every page
 * and the page count, without a PDF library. Handles what pdfkit writes: Flate-compressed or
 * plain streams, embedded (subset, Identity-H) fonts decoded through their ToUnicode CMaps, and
 * the standard fonts' single-byte text. Not a general PDF parser.
 */

interface PdfObject {
  id: number;
  dict: string;
  stream?: Buffer;
}

function objects(pdf: Buffer): PdfObject[] {
  const raw = pdf.toString('latin1');
  const out: PdfObject[] = [];
  const re = /(\d+) 0 obj\b/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endobj', start);
    if (end < 0) break;
    const body = raw.slice(start, end);
    const s = body.indexOf('stream');
    const obj: PdfObject = { id: Number(m[1]), dict: s >= 0 ? body.slice(0, s) : body };
    if (s >= 0) {
      let dataStart = s + 'stream'.length;
      if (body[dataStart] === '\r') dataStart++;
      if (body[dataStart] === '\n') dataStart++;
      const dataEnd = body.lastIndexOf('endstream');
      let data = Buffer.from(body.slice(dataStart, dataEnd), 'latin1');
      if (/\/Filter\s*\/FlateDecode/.test(obj.dict)) {
        try {
          data = inflateSync(data);
        } catch {
          data = inflateSync(data.subarray(0, data.length - 1)); // a trailing EOL before endstream
        }
      }
      obj.stream = data;
    }
    out.push(obj);
    re.lastIndex = end;
  }
  return out;
}

const hexBytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');
const hexText = (hex: string) => {
  const b = hexBytes(hex);
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
  return s;
};

/** A ToUnicode CMap: two-byte codes → text (a ligature glyph maps to several characters: <0066 0069>). */
function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, src, dst] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g))
      map.set(Number.parseInt(src!, 16), hexText(dst!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:\[([^\]]*)\]|<([0-9a-fA-F\s]+)>)/g;
    for (const [, lo, hi, list, first] of block[1]!.matchAll(re)) {
      const from = Number.parseInt(lo!, 16);
      const to = Number.parseInt(hi!, 16);
      if (list !== undefined) {
        const items = [...list.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((x) => hexText(x[1]!));
        items.forEach((text, i) => {
          map.set(from + i, text);
        });
      } else {
        const base = hexText(first!);
        for (let code = from; code <= to; code++)
          map.set(
            code,
            base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + code - from),
          );
      }
    }
  }
  return map;
}

function fontMaps(objs: PdfObject[]) {
  const byId = new Map(objs.map((o) => [o.id, o]));
  /** Resource name (/F1) → ToUnicode map, or null for a single-byte standard font. */
  const names = new Map<string, Map<number, string> | null>();
  for (const o of objs) {
    for (const fonts of o.dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const [, name, ref] of fonts[1]!.matchAll(/\/([\w.+-]+)\s+(\d+)\s+0\s+R/g)) {
        const font = byId.get(Number(ref));
        const tu = font && /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(font.dict);
        const cmap = tu && byId.get(Number(tu[1]))?.stream;
        names.set(name!, cmap ? parseCmap(cmap.toString('latin1')) : null);
      }
    }
  }
  return names;
}

function decode(hex: string, cmap: Map<number, string> | null | undefined): string {
  const bytes = hexBytes(hex);
  if (!cmap) return bytes.toString('latin1');
  let s = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) s += cmap.get(bytes.readUInt16BE(i)) ?? '\uFFFD';
  return s;
}

/** Content streams of the pages, in page order. */
function pageContents(objs: PdfObject[]): string[] {
  const byId = new Map(objs.map((o) => [o.id, o]));
  const pagesRoot = objs.find((o) => /\/Type\s*\/Pages\b/.test(o.dict) && !/\/Parent\b/.test(o.dict));
  const kids = pagesRoot
    ? [...(/\/Kids\s*\[([^\]]*)\]/.exec(pagesRoot.dict)?.[1] ?? '').matchAll(/(\d+)\s+0\s+R/g)]
    : [];
  return kids.map(([, id]) => {
    const page = byId.get(Number(id));
    const refs = /\/Contents\s*(\[[^\]]*\]|\d+\s+0\s+R)/.exec(page?.dict ?? '')?.[1] ?? '';
    return [...refs.matchAll(/(\d+)\s+0\s+R/g)]
      .map(([, c]) => byId.get(Number(c))?.stream?.toString('latin1') ?? '')
      .join('\n');
  });
}

/** The text of each page: one line per text block pdfkit wrote (a wrapped line is its own block). */
export function pdfPages(pdf: Buffer): string[] {
  const objs = objects(pdf);
  const fonts = fontMaps(objs);
  return pageContents(objs).map((content) => {
    const lines: string[] = [];
    let font: Map<number, string> | null | undefined;
    let line = '';
    const ops =
      /\/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[\s\d.-])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\bET\b/g;
    for (const m of content.matchAll(ops)) {
      if (m[1]) font = fonts.get(m[1]);
      else if (m[2] !== undefined)
        for (const [, hex] of m[2].matchAll(/<([0-9a-fA-F]*)>/g)) line += decode(hex!, font);
      else if (m[3] !== undefined) line += decode(m[3], font);
      else {
        if (line) lines.push(line);
        line = '';
      }
    }
    return lines.join('\n');
  });
}

/** All text of the PDF, pages separated by a form feed. */
export function pdfText(pdf: Buffer): string {
  return pdfPages(pdf).join('\n\f\n');
}

export function pdfPageCount(pdf: Buffer): number {
  return pdfPages(pdf).length;
}

/** Names of the fonts embedded in the file (subset fonts carry a six-letter tag: ABCDEF+NotoSansSC-Regular). */
export function pdfEmbeddedFonts(pdf: Buffer): string[] {
  return objects(pdf)
    .filter((o) => /\/Type\s*\/FontDescriptor\b/.test(o.dict) && /\/FontFile[23]?\s+\d+/.test(o.dict))
    .map((o) => /\/FontName\s*\/([^\s/>]+)/.exec(o.dict)?.[1] ?? '');
}
