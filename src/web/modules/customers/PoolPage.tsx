import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PoolItem } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';

type Entity = PoolItem['entity'];
const PATH: Record<Entity, string> = { customer: 'customers', lead: 'leads' };

/** 公海: unowned leads and customers of my part of the organisation, to claim. */
export function PoolPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [entity, setEntity] = useState<Entity | 'all'>('all');
  const [q, setQ] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const { list, rows } = usePagedList<PoolItem>(['pool', entity, q], '/pool', {
    entity: entity === 'all' ? undefined : entity,
    q,
  });

  async function claim(item: PoolItem) {
    setBusy(item.id);
    try {
      await api.post(`/pool/${PATH[item.entity]}/${item.id}/claim`);
      void message.success(t('pool.claimed'));
    } catch (err) {
      showError(err, message);
    } finally {
      setBusy(null);
      void client.invalidateQueries({ queryKey: ['pool'] });
      void client.invalidateQueries({ queryKey: [PATH[item.entity]] });
    }
  }

  const columns: ColumnsType<PoolItem> = [
    {
      title: t('pool.name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={4}>
          <Tag>{t(`pool.entities.${r.entity}`)}</Tag>
          {r.grade && <Tag color="gold">{r.grade}</Tag>}
          {name}
        </Space>
      ),
    },
    { title: t('pool.orgUnit'), dataIndex: 'orgUnitName', responsive: ['sm'] },
    { title: t('pool.pooledAt'), dataIndex: 'pooledAt', render: (v: string | null) => formatTime(v) },
    {
      title: t('pool.lastFollowUp'),
      dataIndex: 'lastFollowUpAt',
      responsive: ['md'],
      render: (v: string | null) => formatTime(v),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, r) =>
        can(`${PATH[r.entity]}.claim`) && (
          <Button
            size="small"
            type="primary"
            loading={busy === r.id}
            onClick={() => claim(r)}
            data-testid="pool-claim"
          >
            {t('pool.claim')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('pool.title')} hint={t('pool.hint')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={entity}
          onChange={(v) => setEntity(v as Entity | 'all')}
          options={[
            { value: 'all', label: t('pool.all') },
            { value: 'customer', label: t('pool.customers') },
            { value: 'lead', label: t('pool.leads') },
          ]}
        />
        <Input.Search
          allowClear
          onSearch={(v) => setQ(v || undefined)}
          style={{ width: 220 }}
          data-testid="pool-search"
        />
      </Space>
      <Table
        rowKey={(r) => `${r.entity}:${r.id}`}
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        footer={() => <LoadMore list={list} />}
        data-testid="pool-table"
      />
    </>
  );
}

/**
 * "Release to pool" for a held customer or lead (the 360 page and the lead page use it): asks
 * for the required reason.
 */
export function ReleaseButton({
  entity,
  id,
  onReleased,
}: {
  entity: Entity;
  id: string;
  onReleased?: () => void;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  if (!can(`${PATH[entity]}.claim`)) return null;

  async function submit({ reason }: { reason: string }) {
    try {
      await api.post(`/pool/${PATH[entity]}/${id}/release`, { reason });
      void message.success(t('pool.released'));
      setOpen(false);
      void client.invalidateQueries({ queryKey: [PATH[entity]] });
      void client.invalidateQueries({ queryKey: ['pool'] });
      onReleased?.();
    } catch (err) {
      showError(err, message, form);
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="pool-release">
        {t('pool.release')}
      </Button>
      <Modal
        open={open}
        title={t('pool.releaseTitle')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item name="reason" label={t('pool.reason')} rules={[rules.required()]}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} data-testid="pool-release-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
