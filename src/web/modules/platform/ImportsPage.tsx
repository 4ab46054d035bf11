import { useQuery } from '@tanstack/react-query';
import { Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportSummary } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { ImportWizard, importStatusColor } from './ImportWizard.js';

/** Import history: who imported which file into what, how it went, and its error reports. */
export function ImportsPage() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState<string | undefined>();
  const [opened, setOpened] = useState<string | undefined>();
  const entities = useQuery({
    queryKey: ['import-entities'],
    queryFn: () => api.get<{ items: { entity: string; label: string }[] }>('/imports/entities'),
  });
  const { list, rows } = usePagedList<ImportSummary>(
    ['imports', entity],
    '/imports',
    { entity },
    {
      // Poll while an import is still being checked or run.
      refetchInterval: (items) =>
        items.some((i) => i.status === 'checking' || i.status === 'importing') ? 2000 : false,
    },
  );
  return (
    <>
      <PageHeader title={t('menu.imports')} hint={t('imports.historyHint')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('imports.entity')}
          style={{ width: 180 }}
          value={entity}
          onChange={setEntity}
          options={entities.data?.items.map((e) => ({ value: e.entity, label: e.label })) ?? []}
        />
      </Space>
      <Table<ImportSummary>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        footer={() => <LoadMore list={list} />}
        data-testid="imports-table"
        columns={[
          { title: t('imports.time'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          { title: t('imports.entity'), dataIndex: 'entityLabel' },
          { title: t('imports.file'), dataIndex: 'fileName' },
          { title: t('imports.by'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '—' },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: ImportSummary['status']) => (
              <Tag color={importStatusColor[s]}>{t(`imports.statuses.${s}`)}</Tag>
            ),
          },
          { title: t('imports.rows'), dataIndex: 'totalRows' },
          {
            title: t('imports.outcome'),
            key: 'outcome',
            render: (_, i) =>
              i.result ? (
                <Typography.Text>
                  {t('imports.outcomeText', {
                    created: i.result.created,
                    updated: i.result.updated,
                    skipped: i.result.skipped,
                    failed: i.result.failed,
                  })}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, i) => (
              <Button size="small" onClick={() => setOpened(i.id)} data-testid={`import-open-${i.id}`}>
                {t('common.view')}
              </Button>
            ),
          },
        ]}
      />
      <ImportWizard
        importId={opened}
        open={!!opened}
        onClose={() => {
          setOpened(undefined);
          void list.refetch();
        }}
      />
    </>
  );
}
