import { useQuery } from '@tanstack/react-query';
import { Drawer, Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { Changes } from './Changes.js';

/**
 * A record's history: who changed what, when (GET /{records}/{id}/history). Action names come
 * from `{actionKeys}.{action}` when the module has its own words, else from audit.actions.
 */
export function RecordHistory({
  path,
  actionKeys,
  changesHiddenFor = [],
}: {
  path: string | null;
  actionKeys?: string;
  /** Actions whose field changes say nothing useful (a merge moves whole records). */
  changesHiddenFor?: string[];
}) {
  const { t } = useTranslation();
  const history = useQuery({
    queryKey: ['history', path],
    queryFn: () => api.get<{ items: AuditEntry[] }>(path!),
    enabled: !!path,
  });
  if (history.data?.items.length === 0) return <Empty />;
  const actionName = (action: string) => {
    const common = t(`audit.actions.${action}`, { defaultValue: action });
    return actionKeys ? t(`${actionKeys}.${action}`, { defaultValue: common }) : common;
  };
  return (
    <Timeline
      items={(history.data?.items ?? []).map((e) => ({
        key: e.id,
        children: (
          <>
            <Typography.Text strong>{actionName(e.action)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {e.actorId ? e.actorName : t('audit.system')} · {formatTime(e.at)}
            </Typography.Text>
            {!changesHiddenFor.includes(e.action) && <Changes changes={e.changes} action={e.action} />}
          </>
        ),
      }))}
    />
  );
}

/** A record's history in a drawer, for list pages without a detail page. */
export function HistoryDrawer({
  path,
  title,
  onClose,
}: {
  path: string | null;
  title: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Drawer open={!!path} onClose={onClose} title={t('audit.historyOf', { name: title })} size={520}>
      <RecordHistory path={path} />
    </Drawer>
  );
}
