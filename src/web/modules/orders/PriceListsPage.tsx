import { PlusOutlined } from '@ant-design/icons';
import { Button, Col, Input, Row, Segmented, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { PriceList } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ExportButton } from '../platform/ExportButton.js';
import { ImportButton } from '../platform/ImportWizard.js';
import { ConditionTags, DateRange, PRICE_CHANNELS, PriceListForm } from './PriceListParts.js';

/** 价目表: every list with whom it applies to, its priority, dates and rounding. */
export function PriceListsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'active' | 'archived'>('active');
  const [channel, setChannel] = useState<string>();
  const [q, setQ] = useState<string>();
  const [creating, setCreating] = useState(false);
  const { list, rows } = usePagedList<PriceList>(
    ['price-lists', 'list', status, channel, q],
    '/price-lists',
    {
      status,
      channel,
      q,
    },
  );
  const manage = can('price-lists.manage');

  const columns: ColumnsType<PriceList> = [
    {
      title: t('pricing.code'),
      dataIndex: 'code',
      render: (code: string, l) => <Link to={`/catalog/price-lists/${l.id}`}>{code}</Link>,
    },
    { title: t('pricing.name'), dataIndex: 'name' },
    { title: t('pricing.conditions'), render: (_: unknown, l) => <ConditionTags list={l} /> },
    { title: t('pricing.priority'), dataIndex: 'priority', align: 'right' },
    { title: t('pricing.effective'), responsive: ['md'], render: (_: unknown, l) => <DateRange list={l} /> },
    {
      title: t('pricing.rounding'),
      dataIndex: 'rounding',
      responsive: ['lg'],
      render: (r: string) => t(`pricing.roundings.${r}`),
    },
    { title: t('pricing.ruleCount'), dataIndex: 'ruleCount', align: 'right', responsive: ['md'] },
    {
      title: t('pricing.status'),
      dataIndex: 'status',
      render: (s: string) => (
        <Tag color={s === 'active' ? 'green' : 'default'}>{t(`pricing.statuses.${s}`)}</Tag>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('pricing.title')}
        hint={t('pricing.hint')}
        extra={
          <Space wrap>
            <Link to="/catalog/price-tester">
              <Button data-testid="price-tester-link">{t('pricing.tester')}</Button>
            </Link>
            {manage && <ImportButton entity="prices" onImported={() => void list.refetch()} />}
            <ExportButton path="/price-lists/prices" filters={{}} testId="prices-export" />
            {manage && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="price-list-create"
              >
                {t('pricing.newList')}
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as 'active' | 'archived')}
            options={(['active', 'archived'] as const).map((s) => ({
              value: s,
              label: t(`pricing.statuses.${s}`),
            }))}
          />
        </Col>
        <Col>
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('pricing.channel')}
            value={channel}
            onChange={setChannel}
            options={PRICE_CHANNELS.map((c) => ({ value: c, label: t(`pricing.channels.${c}`) }))}
          />
        </Col>
        <Col flex="auto">
          <Input.Search
            allowClear
            placeholder={t('pricing.search')}
            onSearch={(v) => setQ(v || undefined)}
            style={{ maxWidth: 320 }}
          />
        </Col>
      </Row>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        footer={() => <LoadMore list={list} />}
        data-testid="price-lists-table"
      />
      {creating && (
        <PriceListForm
          list="new"
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            setCreating(false);
            navigate(`/catalog/price-lists/${saved.id}`);
          }}
        />
      )}
    </>
  );
}
