import { Typography } from 'antd';
import type { AuditEntry } from '../../../contracts/index.js';

const show = (v: unknown) =>
  v === null || v === undefined ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** An audit entry's field-by-field changes: field: before → after. */
export function Changes({ changes }: { changes: AuditEntry['changes'] }) {
  const fields = Object.entries(changes);
  if (!fields.length) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
      {fields.map(([field, { from, to }]) => (
        <li key={field} style={{ wordBreak: 'break-all' }}>
          <Typography.Text code>{field}</Typography.Text>{' '}
          <Typography.Text delete type="secondary">
            {show(from)}
          </Typography.Text>{' '}
          → <Typography.Text>{show(to)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
