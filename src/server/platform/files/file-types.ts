import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';

/**
 * The kinds of file people attach to sales records, and how each is recognised. A binary kind
 * is recognised by its content (magic bytes); text kinds (CSV, plain text) have none, so they
 * must look like text and not like markup. Everything else — executables, HTML, SVG, scripts —
 * is refused. The stored content type is ours, never the client's.
 */
interface Kind {
  extensions: string[];
  /** What content sniffing must report; 'text' = nothing recognised and the bytes look like text. */
  sniffed: string | 'text';
  /** The content type the file is stored and served with. */
  contentType: string;
  /** Content types a browser may declare for it (besides none / application/octet-stream). */
  declared: string[];
}

const CFB = 'application/x-cfb';
const ZIP = 'application/zip';
const OOXML = 'application/vnd.openxmlformats-officedocument';

const KINDS: Kind[] = [
  { extensions: ['pdf'], sniffed: 'application/pdf', contentType: 'application/pdf', declared: [] },
  { extensions: ['png'], sniffed: 'image/png', contentType: 'image/png', declared: [] },
  {
    extensions: ['jpg', 'jpeg'],
    sniffed: 'image/jpeg',
    contentType: 'image/jpeg',
    declared: ['image/pjpeg'],
  },
  { extensions: ['gif'], sniffed: 'image/gif', contentType: 'image/gif', declared: [] },
  { extensions: ['webp'], sniffed: 'image/webp', contentType: 'image/webp', declared: [] },
  // Photos taken on an iPhone by a rep in the field.
  { extensions: ['heic'], sniffed: 'image/heic', contentType: 'image/heic', declared: ['image/heif'] },
  {
    extensions: ['docx'],
    sniffed: `${OOXML}.wordprocessingml.document`,
    contentType: `${OOXML}.wordprocessingml.document`,
    declared: [],
  },
  {
    extensions: ['xlsx'],
    sniffed: `${OOXML}.spreadsheetml.sheet`,
    contentType: `${OOXML}.spreadsheetml.sheet`,
    declared: [],
  },
  {
    extensions: ['pptx'],
    sniffed: `${OOXML}.presentationml.presentation`,
    contentType: `${OOXML}.presentationml.presentation`,
    declared: [],
  },
  // Legacy Office files are OLE2 compound files; sniffing cannot tell .doc from .xls, so the
  // extension decides (Chinese offices and WPS still produce many of them).
  { extensions: ['doc'], sniffed: CFB, contentType: 'application/msword', declared: [] },
  { extensions: ['xls'], sniffed: CFB, contentType: 'application/vnd.ms-excel', declared: [] },
  { extensions: ['ppt'], sniffed: CFB, contentType: 'application/vnd.ms-powerpoint', declared: [] },
  {
    extensions: ['zip'],
    sniffed: ZIP,
    contentType: ZIP,
    declared: ['application/x-zip-compressed', 'application/x-zip'],
  },
  // OFD: the Chinese national format of electronic invoices (全电发票), a zip package.
  { extensions: ['ofd'], sniffed: ZIP, contentType: 'application/ofd', declared: [] },
  {
    extensions: ['csv'],
    sniffed: 'text',
    contentType: 'text/csv',
    // Windows browsers declare CSV as Excel's type.
    declared: ['text/plain', 'application/csv', 'application/vnd.ms-excel', 'text/comma-separated-values'],
  },
  { extensions: ['txt'], sniffed: 'text', contentType: 'text/plain', declared: [] },
];

/** Shown in messages: the extensions people may upload. */
export const ALLOWED_EXTENSIONS = KINDS.flatMap((k) => k.extensions);

const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const MARKUP = /^\s*(<!doctype|<html|<svg|<\?xml|<script|<head|<body|<iframe)/i;

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** Text we are willing to store: no NUL bytes or other binary control characters, not markup. */
function looksLikeText(head: Buffer): boolean {
  for (const byte of head) {
    if (byte === 0 || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x1b))
      return false;
  }
  const start = head.toString('utf8').replace(/^\uFEFF/, '');
  return !MARKUP.test(start);
}

/**
 * Decides the stored content type of an upload from its name, the browser's declared type and
 * its first bytes; refuses (415) a type not allowed or one whose content disagrees with its
 * extension or declared type (a renamed .exe, an HTML page called .txt).
 */
export async function classifyUpload(input: {
  fileName: string;
  declaredType: string | undefined;
  head: Buffer;
}): Promise<{ contentType: string }> {
  const ext = extensionOf(input.fileName);
  const declared = (input.declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const detected = await fileTypeFromBuffer(input.head);
  const params = {
    fileName: input.fileName,
    type: ext ? `.${ext}` : declared || '?',
    actual: detected ? `.${detected.ext} (${detected.mime})` : 'text',
    allowed: ALLOWED_EXTENSIONS.join(', '),
  };
  const kind = KINDS.find((k) => k.extensions.includes(ext));
  if (!kind) {
    throw new AppError('file_type_not_allowed', params);
  }
  const contentMatches =
    kind.sniffed === 'text' ? !detected && looksLikeText(input.head) : detected?.mime === kind.sniffed;
  const declaredMatches =
    UNDECLARED.has(declared) || declared === kind.contentType || kind.declared.includes(declared);
  if (!contentMatches || !declaredMatches) {
    throw new AppError('file_type_mismatch', { ...params, declared: declared || '?' });
  }
  return { contentType: kind.contentType };
}

/** A file name safe to store and show: no folders, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '').trim();
  if (cleaned.length <= 200) return cleaned;
  const ext = extensionOf(cleaned);
  return ext && ext.length < 20 ? `${cleaned.slice(0, 199 - ext.length)}.${ext}` : cleaned.slice(0, 200);
}
