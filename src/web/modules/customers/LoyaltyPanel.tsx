import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer, LoyaltyAccount, LoyaltyEntry, MemberTier } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';

export const TIER_COLORS: Record<MemberTier, string> = {
  member: 'default',
  silver: 'geekblue',
  gold: 'gold',
  diamond: 'purple',
};
const KIND_COLORS = { earn: 'green', redeem: 'orange', adjust: 'blue', reverse: 'default' } as const;

type Action = { kind: 'redeem' } | { kind: 'adjust' } | { kind: 'reverse'; entry: LoyaltyEntry };

interface Values {
  points?: number;
  item?: string;
  reason: string;
}

/** Redeem, adjust or reverse: one small form in a modal. */
function LoyaltyModal({
  customerId,
  action,
  balance,
  onClose,
}: {
  customerId: string;
  action: Action;
  balance: number;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  async function save() {
    const values = await form.validateFields();
    setBusy(true);
    try {
      if (action.kind === 'reverse')
        await api.post(`/customers/${customerId}/loyalty/entries/${action.entry.id}/reverse`, {
          reason: values.reason,
        });
      else await api.post(`/customers/${customerId}/loyalty/${action.kind}`, values);
      void message.success(t('common.saved'));
      onClose(true);
    } catch (err) {
      showError(err, message, form);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      title={t(`loyalty.actions.${action.kind}`)}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      okButtonProps={{ loading: busy, 'data-testid': 'loyalty-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        {action.kind === 'reverse' && (
          <Typography.Paragraph>
            {t('loyalty.reverseExplain', { points: action.entry.points, reason: action.entry.reason })}
          </Typography.Paragraph>
        )}
        {action.kind === 'redeem' && (
          <Form.Item
            name="points"
            label={t('loyalty.points')}
            extra={t('loyalty.balanceNow', { balance })}
            rules={[rules.required()]}
          >
            <InputNumber min={1} precision={0} style={{ width: 200 }} data-testid="loyalty-points" />
          </Form.Item>
        )}
        {action.kind === 'adjust' && (
          <Form.Item
            name="points"
            label={t('loyalty.points')}
            extra={t('loyalty.adjustHint')}
            rules={[
              rules.required(),
              {
                validator: (_, v) =>
                  v === 0 ? Promise.reject(new Error(t('loyalty.notZero'))) : Promise.resolve(),
              },
            ]}
          >
            <InputNumber precision={0} style={{ width: 200 }} data-testid="loyalty-points" />
          </Form.Item>
        )}
        {action.kind === 'redeem' && (
          <Form.Item name="item" label={t('loyalty.item')} rules={[rules.required()]}>
            <Input maxLength={200} placeholder={t('loyalty.itemPlaceholder')} data-testid="loyalty-item" />
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('loyalty.reason')} rules={[rules.required()]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="loyalty-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The customer's points: balance, tier and progress, the ledger, and redeem / adjust. */
export function LoyaltyPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const client = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const id = customer.id;
  const account = useQuery({
    queryKey: ['loyalty', id],
    queryFn: () => api.get<LoyaltyAccount>(`/customers/${id}/loyalty`),
  });
  const { list: entries } = usePagedList<LoyaltyEntry>(
    ['loyalty-entries', id],
    `/customers/${id}/loyalty/entries`,
    {},
    { limit: 20 },
  );
  const live = !customer.mergedIntoId;
  const a = account.data;
  const next = a?.nextTier;
  const percent =
    a && next
      ? Math.floor(((a.lifetimeEarned - a.tierThreshold) * 100) / (next.threshold - a.tierThreshold))
      : 100;

  const columns: ColumnsType<LoyaltyEntry> = [
    { title: t('loyalty.at'), dataIndex: 'createdAt', render: (at: string) => formatTime(at) },
    {
      title: t('loyalty.kind'),
      dataIndex: 'kind',
      render: (kind: LoyaltyEntry['kind'], e) => (
        <Space size={4}>
          <Tag color={KIND_COLORS[kind]}>{t(`loyalty.kinds.${kind}`)}</Tag>
          {e.reversedById && <Tag>{t('loyalty.reversed')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('loyalty.points'),
      dataIndex: 'points',
      align: 'right',
      render: (p: number) => (
        <Typography.Text type={p < 0 ? 'danger' : 'success'}>{p > 0 ? `+${p}` : p}</Typography.Text>
      ),
    },
    { title: t('loyalty.balanceAfter'), dataIndex: 'balanceAfter', align: 'right', responsive: ['sm'] },
    {
      title: t('loyalty.reason'),
      dataIndex: 'reason',
      render: (reason: string, e) => (e.item ? `${e.item} · ${reason}` : reason),
    },
    {
      title: t('loyalty.by'),
      dataIndex: 'createdByName',
      responsive: ['md'],
      render: (name: string | null) => name ?? t('audit.system'),
    },
    ...(can('loyalty.adjust') && live
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, e: LoyaltyEntry) =>
              e.kind !== 'reverse' &&
              !e.reversedById && (
                <Button type="link" size="small" onClick={() => setAction({ kind: 'reverse', entry: e })}>
                  {t('loyalty.actions.reverse')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" loading={account.isPending}>
        {a && (
          <Row gutter={[16, 16]} align="middle">
            <Col xs={12} md={6}>
              <Statistic title={t('loyalty.balance')} value={a.balance} data-testid="loyalty-balance" />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('loyalty.lifetime')} value={a.lifetimeEarned} />
            </Col>
            <Col xs={24} md={12}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space>
                  {t('loyalty.tier')}
                  <Tag color={TIER_COLORS[a.tier]} data-testid="loyalty-tier">
                    {t(`loyalty.tiers.${a.tier}`)}
                  </Tag>
                </Space>
                <Progress percent={percent} showInfo={false} size="small" />
                <Typography.Text type="secondary">
                  {next
                    ? t('loyalty.toNext', { missing: next.missing, tier: t(`loyalty.tiers.${next.tier}`) })
                    : t('loyalty.topTier')}
                </Typography.Text>
              </Space>
            </Col>
          </Row>
        )}
      </Card>
      {live && (
        <Space wrap>
          {can('loyalty.redeem') && (
            <Button type="primary" onClick={() => setAction({ kind: 'redeem' })} data-testid="loyalty-redeem">
              {t('loyalty.actions.redeem')}
            </Button>
          )}
          {can('loyalty.adjust') && (
            <Button onClick={() => setAction({ kind: 'adjust' })} data-testid="loyalty-adjust">
              {t('loyalty.actions.adjust')}
            </Button>
          )}
        </Space>
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={entries.data?.pages.flatMap((p) => p.items) ?? []}
        loading={entries.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        footer={() => <LoadMore list={entries} />}
        data-testid="loyalty-entries"
      />
      {action && (
        <LoyaltyModal
          customerId={id}
          action={action}
          balance={a?.balance ?? 0}
          onClose={(saved) => {
            setAction(null);
            if (saved) {
              void client.invalidateQueries({ queryKey: ['loyalty', id] });
              void client.invalidateQueries({ queryKey: ['loyalty-entries', id] });
            }
          }}
        />
      )}
    </Space>
  );
}
