import { DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Quote, QuoteLine } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ApprovalTimeline } from '../platform/ApprovalTimeline.js';
import { RecordHistory } from '../platform/HistoryDrawer.js';
import { toFen, yuan } from './ContractParts.js';
import { percentLabel, QuoteStateTag } from './QuoteParts.js';

type Dialog = 'send' | 'reject' | 'contract' | null;
interface DialogValues {
  to?: string;
  cc?: string[];
  subject?: string;
  message?: string;
  locale?: 'zh-CN' | 'en';
  reason?: string;
  title?: string;
  term?: [Dayjs, Dayjs];
  installments?: { dueDate?: Dayjs; amount?: string }[];
}

/** Three installments that sum exactly to the total (the server's split: remainder on the last). */
async function threeInstallments(total: number, start: Dayjs) {
  const { amounts } = await api.get<{ amounts: number[] }>('/contracts/split', { amount: total, n: 3 });
  return amounts.map((a, i) => ({ dueDate: start.add(i * 3, 'month'), amount: (a / 100).toFixed(2) }));
}

/** One quote: a revision's lines and totals, its approval, e-mails and history, with its actions. */
export function QuoteDetailPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [revision, setRevision] = useState<number | undefined>();
  const [dialog, setDialog] = useState<Dialog>(null);
  // The dialog's form is created when it opens, so its defaults go in as initial values.
  const [defaults, setDefaults] = useState<DialogValues>({});
  const [form] = Form.useForm<DialogValues>();
  const query = useQuery({
    queryKey: ['quote', id, revision],
    queryFn: () => api.get<Quote>(`/quotes/${id}`, revision ? { revision } : undefined),
  });
  const q = query.data;
  if (!q) return null;
  const r = q.current;
  const latest = r.revision === q.revision;

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['quote', id] });
    void client.invalidateQueries({ queryKey: ['quotes'] });
    void client.invalidateQueries({ queryKey: ['history'] });
    void client.invalidateQueries({ queryKey: ['approvals'] });
  };
  const act = async (action: string, body: Record<string, unknown> = {}) => {
    try {
      const res = await api.post<{ contractId?: string }>(`/quotes/${q.id}/${action}`, {
        ...body,
        version: q.version,
      });
      setDialog(null);
      form.resetFields();
      setRevision(undefined);
      refresh();
      if (action === 'contract' && res.contractId) navigate(`/sales/contracts/${res.contractId}`);
    } catch (err) {
      showError(err, message, form);
    }
  };
  const may = (action: Quote['actions'][number]) =>
    latest && q.actions.includes(action) && can('quotes.update');

  const openContract = async () => {
    const start = dayjs();
    setDefaults({
      title: `${q.customerName} ${q.number}`,
      term: [start, start.add(1, 'year')],
      installments: await threeInstallments(r.total, start),
    });
    setDialog('contract');
  };
  const submitDialog = (v: DialogValues) => {
    if (dialog === 'send')
      return act('send', {
        to: v.to,
        cc: v.cc?.length ? v.cc : undefined,
        subject: v.subject || undefined,
        message: v.message || undefined,
        locale: v.locale ?? 'zh-CN',
      });
    if (dialog === 'reject') return act('reject', { reason: v.reason });
    return act('contract', {
      title: v.title || undefined,
      startDate: v.term?.[0]?.format('YYYY-MM-DD'),
      endDate: v.term?.[1]?.format('YYYY-MM-DD'),
      installments: (v.installments ?? []).map((i) => ({
        dueDate: i.dueDate?.format('YYYY-MM-DD'),
        amount: toFen(i.amount),
      })),
    });
  };

  const columns: ColumnsType<QuoteLine> = [
    { title: '#', dataIndex: 'seq', width: 50 },
    {
      title: t('quotes.product'),
      dataIndex: 'productName',
      render: (name: string, l) => (
        <>
          {name}
          <Typography.Text type="secondary"> {l.sku}</Typography.Text>
          {l.specification && <div>{l.specification}</div>}
        </>
      ),
    },
    {
      title: t('quotes.quantity'),
      dataIndex: 'quantity',
      align: 'right',
      render: (v: string, l) => `${v} ${l.uom}`,
    },
    { title: t('quotes.listPrice'), dataIndex: 'listPrice', align: 'right', render: (v: number) => yuan(v) },
    { title: t('quotes.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: (v: number) => yuan(v) },
    { title: t('quotes.lineDiscount'), dataIndex: 'discountPercent', align: 'right', render: percentLabel },
    {
      title: t('quotes.amount'),
      dataIndex: 'netAmount',
      align: 'right',
      render: (v: number, l) => (
        <Typography.Text type={l.belowFloor ? 'danger' : undefined}>
          {yuan(v)}
          {l.belowFloor && ` (${t('quotes.belowFloor')})`}
        </Typography.Text>
      ),
    },
    ...(q.seesCost
      ? [
          {
            title: t('quotes.margin'),
            dataIndex: 'margin',
            align: 'right' as const,
            render: (v: number | undefined) => yuan(v),
          },
        ]
      : []),
  ];
  const pdfHref = (locale: string) =>
    `/api/v1/quotes/${q.id}/pdf?locale=${locale}${revision ? `&revision=${revision}` : ''}`;

  return (
    <>
      <PageHeader
        title={
          <Space>
            {q.number} v{r.revision} <QuoteStateTag state={r.state} expired={latest && q.expired} />
          </Space>
        }
        hint={<Link to={`/customers/${q.customerId}`}>{q.customerName}</Link>}
        extra={
          <Space wrap>
            {q.revisions.length > 1 && (
              <Select
                value={r.revision}
                style={{ width: 150 }}
                data-testid="quote-revision"
                onChange={(v: number) => setRevision(v === q.revision ? undefined : v)}
                options={q.revisions.map((x) => ({
                  value: x.revision,
                  label: `v${x.revision} · ${t(`quotes.states.${x.state}`)}`,
                }))}
              />
            )}
            {may('edit') && (
              <Button onClick={() => navigate(`/sales/quotes/${q.id}/edit`)} data-testid="quote-edit">
                {t('quotes.edit')}
              </Button>
            )}
            {may('submit') && (
              <Button type="primary" onClick={() => act('submit')} data-testid="quote-submit">
                {t('quotes.actions.submit')}
              </Button>
            )}
            {may('withdraw') && (
              <Button onClick={() => act('withdraw')} data-testid="quote-withdraw">
                {t('quotes.actions.withdraw')}
              </Button>
            )}
            <a href={pdfHref('zh-CN')} download data-testid="quote-pdf-zh">
              <Button icon={<DownloadOutlined />}>{t('quotes.pdfZh')}</Button>
            </a>
            <a href={pdfHref('en')} download data-testid="quote-pdf-en">
              <Button icon={<DownloadOutlined />}>{t('quotes.pdfEn')}</Button>
            </a>
            {may('send') && (
              <Button
                onClick={() => {
                  setDefaults({
                    locale: i18n.language === 'en' ? 'en' : 'zh-CN',
                    to: q.current.contactEmail ?? undefined,
                  });
                  setDialog('send');
                }}
                data-testid="quote-send"
              >
                {t('quotes.actions.send')}
              </Button>
            )}
            {may('accept') && (
              <Button type="primary" onClick={() => act('accept')} data-testid="quote-accept">
                {t('quotes.actions.accept')}
              </Button>
            )}
            {may('reject') && (
              <Button
                danger
                onClick={() => {
                  setDefaults({});
                  setDialog('reject');
                }}
                data-testid="quote-reject"
              >
                {t('quotes.actions.reject')}
              </Button>
            )}
            {may('revise') && (
              <Button onClick={() => act('revise')} data-testid="quote-revise">
                {t('quotes.actions.revise')}
              </Button>
            )}
            {q.state === 'accepted' && can('sales-orders.create') && (
              <Button
                onClick={() =>
                  navigate(`/orders/sales-orders/new?customerId=${q.customerId}&quoteId=${q.id}`)
                }
                data-testid="quote-create-order"
              >
                {t('salesOrders.createOrder')}
              </Button>
            )}
            {may('contract') && can('contracts.create') && (
              <Button type="primary" onClick={() => void openContract()} data-testid="quote-contract">
                {t('quotes.actions.contract')}
              </Button>
            )}
          </Space>
        }
      />
      {!latest && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('quotes.readOnlyRevision')} />
      )}
      {latest && r.state === 'draft' && r.reviewComment && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="quote-review-comment"
          message={t('quotes.reviewComment', { comment: r.reviewComment })}
        />
      )}
      {latest && r.state === 'draft' && r.approvalLevel !== 'none' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="quote-approval-hint"
          message={t(`quotes.approvalHint.${r.approvalLevel}`)}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('quotes.contact')}>{r.contactName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.opportunity')}>
            {q.opportunityId ? (
              <Link to={`/sales/opportunities/${q.opportunityId}`}>{q.opportunityName}</Link>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('quotes.validUntil')}>{r.validUntil}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.listTotal')}>{yuan(r.listTotal)}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.subtotal')}>{yuan(r.subtotal)}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.wholeDiscount')}>
            {percentLabel(r.discountPercent) || '—'} {r.discountAmount > 0 && `(-${yuan(r.discountAmount)})`}
          </Descriptions.Item>
          <Descriptions.Item label={t('quotes.total')}>
            <Typography.Text strong data-testid="quote-total">
              {yuan(r.total)}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('quotes.tax')}>{yuan(r.tax)}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.effectiveDiscount')}>{r.effectiveDiscount}%</Descriptions.Item>
          {q.seesCost && <Descriptions.Item label={t('quotes.margin')}>{yuan(r.margin)}</Descriptions.Item>}
          <Descriptions.Item label={t('quotes.owner')}>
            {q.ownerName}（{q.orgUnitName}）
          </Descriptions.Item>
          {q.contractId && (
            <Descriptions.Item label={t('quotes.contract')}>
              <Link to={`/sales/contracts/${q.contractId}`} data-testid="quote-contract-link">
                {q.contractNumber}
              </Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('quotes.paymentTerms')}>{r.paymentTerms ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('quotes.deliveryTerms')}>{r.deliveryTerms ?? '—'}</Descriptions.Item>
          {r.rejectionReason && (
            <Descriptions.Item label={t('quotes.rejectionReason')}>{r.rejectionReason}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'lines',
            label: t('quotes.lines'),
            children: (
              <Table<QuoteLine>
                rowKey="id"
                size="small"
                pagination={false}
                columns={columns}
                dataSource={r.lines}
                data-testid="quote-lines"
              />
            ),
          },
          {
            key: 'approval',
            label: t('quotes.approval'),
            children: <ApprovalTimeline docType="quote" docId={r.id} />,
          },
          {
            key: 'sends',
            label: t('quotes.sends'),
            children: (
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={q.sends}
                columns={[
                  { title: t('quotes.sentAt'), dataIndex: 'sentAt', render: (v: string) => formatTime(v) },
                  { title: t('quotes.to'), dataIndex: 'to' },
                  { title: t('quotes.cc'), dataIndex: 'cc' },
                  { title: t('quotes.revision'), dataIndex: 'revision', render: (v: number) => `v${v}` },
                  { title: t('quotes.sentBy'), dataIndex: 'sentByName' },
                ]}
              />
            ),
          },
          {
            key: 'history',
            label: t('quotes.history'),
            children: <RecordHistory path={`/quotes/${q.id}/history`} actionKeys="quotes.auditActions" />,
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={dialog ? t(`quotes.actions.${dialog}`) : ''}
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'quote-dialog-ok' }}
        width={dialog === 'contract' ? 640 : 520}
      >
        <Form form={form} layout="vertical" onFinish={submitDialog} initialValues={defaults}>
          {dialog === 'send' && (
            <>
              <Form.Item name="to" label={t('quotes.to')} rules={[{ required: true, type: 'email' }]}>
                <Input data-testid="quote-send-to" />
              </Form.Item>
              <Form.Item name="cc" label={t('quotes.cc')}>
                <Select mode="tags" tokenSeparators={[',', ' ']} />
              </Form.Item>
              <Form.Item name="locale" label={t('quotes.pdfLanguage')}>
                <Select
                  options={[
                    { value: 'zh-CN', label: '中文' },
                    { value: 'en', label: 'English' },
                  ]}
                />
              </Form.Item>
              <Form.Item name="subject" label={t('quotes.subject')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="message" label={t('quotes.message')}>
                <Input.TextArea rows={4} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {dialog === 'reject' && (
            <Form.Item name="reason" label={t('quotes.rejectionReason')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} maxLength={500} data-testid="quote-reject-reason" />
            </Form.Item>
          )}
          {dialog === 'contract' && (
            <>
              <Form.Item name="title" label={t('quotes.contractTitle')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="term" label={t('quotes.contractTerm')} rules={[{ required: true }]}>
                <DatePicker.RangePicker data-testid="quote-contract-term" />
              </Form.Item>
              <Typography.Paragraph type="secondary">
                {t('quotes.contractAmount', { amount: yuan(r.total) })}
              </Typography.Paragraph>
              <Form.List name="installments">
                {(fields) =>
                  fields.map((field) => (
                    <Space key={field.key} align="baseline">
                      <Form.Item name={[field.name, 'dueDate']} rules={[{ required: true }]}>
                        <DatePicker />
                      </Form.Item>
                      <Form.Item name={[field.name, 'amount']} rules={[{ required: true }]}>
                        <InputNumber min="0.01" precision={2} stringMode prefix="¥" style={{ width: 180 }} />
                      </Form.Item>
                    </Space>
                  ))
                }
              </Form.List>
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
