import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/client.js';
import { contentDisposition } from '../files/files.service.js';
import { getSettings } from '../settings/settings.service.js';
import type { Letterhead } from './pdf.js';

/** The letterhead every document carries, from company settings (name, address, phone). */
export async function companyLetterhead(db: Db): Promise<Letterhead> {
  const settings = await getSettings(db);
  return {
    companyName: settings.name,
    ...(settings.address ? { address: settings.address } : {}),
    ...(settings.phone ? { phone: settings.phone } : {}),
  };
}

/**
 * Answer a request with a rendered PDF: `attachment` downloads it under `fileName` (Chinese names
 * kept, RFC 6266), `inline` opens it in the browser's viewer.
 */
export function sendPdf(
  reply: FastifyReply,
  pdf: Buffer,
  fileName: string,
  disposition: 'attachment' | 'inline' = 'attachment',
) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', contentDisposition(fileName, disposition))
    .header('cache-control', 'private, no-store')
    .send(pdf);
}
