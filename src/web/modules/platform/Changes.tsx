import { Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../contracts/index.js';

function show(v: unknown, t: TFunction): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.length ? v.map((x) => show(x, t)).join(', ') : '∅';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** An audit entry's field-by-field changes: field: before → after (a creation shows only the values). */
export function Changes({ changes, action }: { changes: AuditEntry['changes']; action?: string }) {
  const { t } = useTranslation();
  const fields = Object.entries(changes);
  if (!fields.length) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingLeft: 18 }} data-testid="audit-changes">
      {fields.map(([field, { from, to }]) => (
        <li key={field} style={{ wordBreak: 'break-all' }}>
          <Typography.Text strong title={field}>
            {t(`auditFields.${field}`, { defaultValue: field })}
          </Typography.Text>
          {': '}
          {action !== 'create' && (
            <>
              <Typography.Text delete type="secondary">
                {show(from, t)}
              </Typography.Text>
              {' → '}
            </>
          )}
          <Typography.Text>{show(to, t)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
