import { useQuery } from '@tanstack/react-query';
import { Drawer, Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { Changes } from './Changes.js';

/** A record's history tab: who changed what, when (GET /{records}/{id}/history). */
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
  const history = useQuery({
    queryKey: ['history', path],
    queryFn: () => api.get<{ items: AuditEntry[] }>(path!),
    enabled: !!path,
  });
  return (
    <Drawer open={!!path} onClose={onClose} title={t('audit.historyOf', { name: title })} size={520}>
      {history.data?.items.length === 0 && <Empty />}
      <Timeline
        items={(history.data?.items ?? []).map((e) => ({
          key: e.id,
          children: (
            <>
              <Typography.Text strong>
                {t(`audit.actions.${e.action}`, { defaultValue: e.action })}
              </Typography.Text>{' '}
              <Typography.Text type="secondary">
                {e.actorId ? e.actorName : t('audit.system')} · {formatTime(e.at)}
              </Typography.Text>
              <Changes changes={e.changes} action={e.action} />
            </>
          ),
        }))}
      />
    </Drawer>
  );
}
