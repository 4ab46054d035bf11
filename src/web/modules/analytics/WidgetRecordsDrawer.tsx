import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Drawer, Empty, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DashboardRole, Widget, WidgetRecordsPage } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { formatCell } from './format.js';

type Record = WidgetRecordsPage['items'][number];

/** Where a record behind a figure opens. */
function linkOf(r: Record): string | null {
  switch (r.kind) {
    case 'sales_order':
      return `/orders/sales-orders/${r.id}`;
    case 'customer':
      return `/customers/${r.id}`;
    case 'opportunity':
      return `/sales/opportunities/${r.id}`;
    default:
      return null;
  }
}

/** The unit of a record's value: the widget's first money or count column. */
function valueColumn(widget: Widget): string {
  return (
    widget.columns.find((c) => ['fen', 'count', 'days'].includes(c.unit))?.key ?? widget.columns[0]?.key ?? ''
  );
}

/** The drill-down: the records behind one row of a widget, page by page. */
export function WidgetRecordsDrawer({
  role,
  widget,
  row,
  rowTitle,
  params,
  onClose,
}: {
  role: DashboardRole;
  widget: Widget;
  row: string;
  rowTitle: string;
  params: { [k: string]: string | undefined };
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['dashboard-records', role, widget.key, row, params],
    queryFn: ({ pageParam }) =>
      api.get<WidgetRecordsPage>(`/dashboards/${role}/widgets/${widget.key}/records`, {
        ...params,
        row,
        limit: 20,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unitColumn = valueColumn(widget);
  const columns: ColumnsType<Record> = [
    {
      title: t('dashboards.records.record'),
      dataIndex: 'label',
      render: (label: string, r) => {
        const to = linkOf(r);
        return (
          <Space size={4}>
            <Tag>{t(`dashboards.records.kinds.${r.kind}`)}</Tag>
            {to ? <Link to={to}>{label}</Link> : label}
          </Space>
        );
      },
    },
    {
      title: t('dashboards.records.customer'),
      dataIndex: 'customerName',
      render: (v: string | null) => v ?? '—',
    },
    { title: t('dashboards.records.day'), dataIndex: 'day', render: (v: string | null) => v ?? '—' },
    {
      title: t('dashboards.records.value'),
      dataIndex: 'value',
      align: 'right',
      render: (v: string | null) => formatCell(widget, unitColumn, v, i18n.language),
    },
  ];
  const asOf = list.data?.pages[0]?.dataAsOf;
  return (
    <Drawer
      open
      size="large"
      title={`${t(`dashboards.widgets.${widget.key}`)} · ${rowTitle}`}
      onClose={onClose}
      data-testid="dashboard-records"
    >
      <Table<Record>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="small"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        locale={{ emptyText: <Empty description={t('dashboards.noRecords')} /> }}
        footer={() => (
          <Space>
            {asOf && (
              <Typography.Text type="secondary">
                {t('dashboards.dataAsOf', { time: formatTime(asOf) })}
              </Typography.Text>
            )}
            {list.hasNextPage && (
              <Button size="small" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            )}
          </Space>
        )}
      />
    </Drawer>
  );
}
