import { DatePicker, Empty, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MissingReview } from '../../../contracts/index.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';

const GRADE_COLORS = { A: 'red', B: 'orange' } as const;

/** 月评缺失: A and B customers in my scope (a manager: the team's) without a review for the month. */
export function MissingReviewsPage() {
  const { t } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const key = month.format('YYYY-MM');
  const { list } = usePagedList<MissingReview>(['missing-reviews', key], '/account-reviews/missing', {
    month: key,
  });
  const columns: ColumnsType<MissingReview> = [
    {
      title: t('accountCards.missing.customer'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={4}>
          <Tag color={GRADE_COLORS[r.grade as 'A' | 'B']}>{r.grade}</Tag>
          <Link to={`/customers/${r.customerId}`}>{name}</Link>
        </Space>
      ),
    },
    {
      title: t('accountCards.missing.owner'),
      dataIndex: 'ownerName',
      render: (name: string, r) => `${name} · ${r.orgUnitName}`,
    },
    {
      title: t('accountCards.missing.lastReview'),
      dataIndex: 'lastReviewMonth',
      render: (m: string | null) => m ?? t('accountCards.missing.never'),
    },
  ];
  return (
    <>
      <PageHeader title={t('accountCards.missing.title')} hint={t('accountCards.missing.hint')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          onChange={(d) => d && setMonth(d)}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          data-testid="missing-reviews-month"
        />
      </Space>
      <Table
        rowKey="customerId"
        size="middle"
        columns={columns}
        dataSource={list.data?.pages.flatMap((p) => p.items) ?? []}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('accountCards.missing.none')} /> }}
        footer={() => <LoadMore list={list} />}
        data-testid="missing-reviews-table"
      />
    </>
  );
}
