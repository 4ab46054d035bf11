import type { Client } from '../../testing/app.js';

/** A PDF's first bytes: enough for content sniffing to call it a PDF. */
export const pdfBytes = (text = 'signed contract') =>
  Buffer.from(
    `%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Title (${text}) >> endobj\ntrailer\n%%EOF\n`,
    'latin1',
  );

/** Uploads `bytes` as a browser would: multipart/form-data with one part named "file". */
export async function uploadFile(
  client: Client,
  record: { entity: string; entityId: string },
  fileName: string,
  bytes: Buffer,
  declaredType = 'application/octet-stream',
) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: declaredType }), fileName);
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  const payload = Buffer.from(await encoded.arrayBuffer());
  return client.request('POST', `/attachments?entity=${record.entity}&entityId=${record.entityId}`, payload, {
    'content-type': encoded.headers.get('content-type')!,
  });
}
