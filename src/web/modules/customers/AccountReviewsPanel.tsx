import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Modal, Rate, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountReview, Customer } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';

export const SCORE_KEYS = ['enthusiasm', 'sales', 'payment', 'priceDiscipline', 'capability'] as const;
type Scores = AccountReview['scores'];

interface Values {
  month: Dayjs;
  scores: Scores;
  summary?: string;
  issues?: string;
  nextActions?: string;
}

const ratingColor = (overall: number) => (overall >= 4 ? 'green' : overall >= 3 ? 'blue' : 'red');

/** Write a month's review (month defaults to this month) or correct an existing one. */
function ReviewModal({
  customerId,
  review,
  onClose,
}: {
  customerId: string;
  review: AccountReview | null;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  async function save() {
    const v = await form.validateFields();
    const texts = {
      summary: v.summary || null,
      issues: v.issues || null,
      nextActions: v.nextActions || null,
    };
    setBusy(true);
    try {
      if (review)
        await api.patch(`/customers/${customerId}/account-reviews/${review.id}`, {
          scores: v.scores,
          ...texts,
          version: review.version,
        });
      else
        await api.post(`/customers/${customerId}/account-reviews`, {
          month: v.month.format('YYYY-MM'),
          scores: v.scores,
          ...texts,
        });
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
      title={review ? t('accountCards.review.edit', { month: review.month }) : t('accountCards.review.new')}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      okButtonProps={{ loading: busy, 'data-testid': 'review-save' }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          review
            ? { ...review, month: dayjs(`${review.month}-01`), summary: review.summary ?? undefined }
            : { month: dayjs() }
        }
      >
        <Form.Item name="month" label={t('accountCards.review.month')} rules={[rules.required()]}>
          <DatePicker
            picker="month"
            disabled={!!review}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            data-testid="review-month"
          />
        </Form.Item>
        {SCORE_KEYS.map((k) => (
          <Form.Item
            key={k}
            name={['scores', k]}
            label={t(`accountCards.review.scores.${k}`)}
            rules={[rules.required()]}
            style={{ marginBottom: 8 }}
          >
            <Rate allowClear={false} data-testid={`review-score-${k}`} />
          </Form.Item>
        ))}
        <Form.Item name="summary" label={t('accountCards.review.summary')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="review-summary" />
        </Form.Item>
        <Form.Item name="issues" label={t('accountCards.review.issues')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="review-issues" />
        </Form.Item>
        <Form.Item name="nextActions" label={t('accountCards.review.nextActions')}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="review-nextActions" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The manager's comment (主管点评) on one review. */
function CommentModal({
  customerId,
  review,
  onClose,
}: {
  customerId: string;
  review: AccountReview;
  onClose: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ comment: string }>();
  async function save() {
    const { comment } = await form.validateFields();
    try {
      await api.post(`/customers/${customerId}/account-reviews/${review.id}/comment`, {
        comment,
        version: review.version,
      });
      onClose(true);
    } catch (err) {
      showError(err, message, form);
    }
  }
  return (
    <Modal
      open
      title={t('accountCards.review.commentTitle', { month: review.month })}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      okButtonProps={{ 'data-testid': 'review-comment-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ comment: review.managerComment ?? '' }}>
        <Form.Item name="comment" label={t('accountCards.review.managerComment')} rules={[rules.required()]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="review-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 客户月评卡: the customer's monthly reviews, latest first, with write, correct and comment. */
export function AccountReviewsPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const client = useQueryClient();
  const [editing, setEditing] = useState<AccountReview | 'new' | null>(null);
  const [commenting, setCommenting] = useState<AccountReview | null>(null);
  const id = customer.id;
  const list = useQuery({
    queryKey: ['account-reviews', id],
    queryFn: () => api.get<{ items: AccountReview[] }>(`/customers/${id}/account-reviews`),
  });
  const editable = can('customers.update') && !customer.mergedIntoId;
  // Managers (who assign customers) comment; the server checks their team covers the customer.
  const canComment = editable && can('customers.assign');
  const refresh = (saved: boolean) => {
    if (saved) {
      void client.invalidateQueries({ queryKey: ['account-reviews', id] });
      void client.invalidateQueries({ queryKey: ['missing-reviews'] });
    }
  };

  const columns: ColumnsType<AccountReview> = [
    { title: t('accountCards.review.month'), dataIndex: 'month' },
    {
      title: t('accountCards.review.overall'),
      dataIndex: 'overall',
      render: (o: number) => <Tag color={ratingColor(o)}>{o.toFixed(1)}</Tag>,
    },
    ...SCORE_KEYS.map((k) => ({
      title: t(`accountCards.review.short.${k}`),
      key: k,
      responsive: ['md' as const],
      render: (_: unknown, r: AccountReview) => r.scores[k],
    })),
    { title: t('accountCards.review.reviewer'), dataIndex: 'reviewerName', responsive: ['sm'] },
    {
      title: t('accountCards.review.managerComment'),
      dataIndex: 'managerComment',
      render: (c: string | null, r) =>
        c ? (
          <Typography.Text>
            {c}{' '}
            <Typography.Text type="secondary">
              — {r.managerCommentByName} {formatTime(r.managerCommentAt)}
            </Typography.Text>
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: AccountReview) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(r)}>
                  {t('common.edit')}
                </Button>
                {canComment && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setCommenting(r)}
                    data-testid="review-comment-open"
                  >
                    {t('accountCards.review.comment')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {editable && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          data-testid="review-new"
        >
          {t('accountCards.review.new')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (r) => !!(r.summary || r.issues || r.nextActions),
          expandedRowRender: (r) => (
            <Space orientation="vertical" size={2}>
              {(['summary', 'issues', 'nextActions'] as const).map(
                (k) =>
                  r[k] && (
                    <Typography.Text key={k}>
                      <Typography.Text strong>{t(`accountCards.review.${k}`)}：</Typography.Text>
                      {r[k]}
                    </Typography.Text>
                  ),
              )}
            </Space>
          ),
        }}
        data-testid="review-table"
      />
      {editing && (
        <ReviewModal
          customerId={id}
          review={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null);
            refresh(saved);
          }}
        />
      )}
      {commenting && (
        <CommentModal
          customerId={id}
          review={commenting}
          onClose={(saved) => {
            setCommenting(null);
            refresh(saved);
          }}
        />
      )}
    </Space>
  );
}
