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
  Radio,
  Select,
  Space,
  Table,
  Tabs,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Bid, BondMethodValue } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { Attachments } from '../platform/Attachments.js';
import { RecordHistory } from '../platform/HistoryDrawer.js';
import { BidDeadline, BidStateTag, BOND_METHODS, BondTag, day } from './BidParts.js';
import { toFen, yuan } from './ContractParts.js';
import { localName, useSalesSettings } from './OpportunityParts.js';

type Dialog = 'result' | 'bond' | 'refund' | null;
interface DialogValues {
  outcome?: 'won' | 'lost' | 'cancelled';
  resultOn?: Dayjs;
  lossReason?: string;
  winnerName?: string;
  winningPrice?: string;
  cancelReason?: string;
  note?: string;
  amount?: string;
  method?: BondMethodValue;
  paidOn?: Dayjs;
  refundDueOn?: Dayjs;
  refundedOn?: Dayjs;
}

/** Offers to win the linked opportunity once the bid is won: winning a bid never does it alone. */
function WinOpportunityOffer({ bid }: { bid: Bid }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const o = useQuery({
    queryKey: ['opportunity', bid.opportunityId],
    queryFn: () =>
      api.get<{ id: string; status: string; version: number }>(`/opportunities/${bid.opportunityId}`),
    enabled: !!bid.opportunityId && bid.state === 'won',
  });
  if (bid.state !== 'won' || !o.data || o.data.status !== 'open' || !can('opportunities.update')) return null;
  const win = async () => {
    try {
      await api.post(`/opportunities/${o.data!.id}/win`, { version: o.data!.version });
      message.success(t('bids.opportunityWon'));
      void client.invalidateQueries({ queryKey: ['opportunity', bid.opportunityId] });
    } catch (err) {
      showError(err, message);
    }
  };
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('bids.winOpportunityOffer', { name: bid.opportunityName })}
      action={
        <Space>
          <Button size="small" type="primary" onClick={win} data-testid="bid-win-opportunity">
            {t('bids.winOpportunity')}
          </Button>
          <Link to={`/sales/opportunities/${bid.opportunityId}`}>{t('bids.openOpportunity')}</Link>
        </Space>
      }
    />
  );
}

/** One bid: dates, price, competitors, bond, result, documents and history. */
export function BidDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm<DialogValues>();
  const outcome = Form.useWatch('outcome', form);
  const settings = useSalesSettings();
  const query = useQuery({ queryKey: ['bid', id], queryFn: () => api.get<Bid>(`/bids/${id}`) });
  const b = query.data;
  if (!b) return null;

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['bid', id] });
    void client.invalidateQueries({ queryKey: ['bids'] });
    void client.invalidateQueries({ queryKey: ['history'] });
  };
  const post = async (path: string, body: Record<string, unknown>) => {
    try {
      await api.post(`/bids/${b.id}/${path}`, { ...body, version: b.version });
      setDialog(null);
      form.resetFields();
      refresh();
    } catch (err) {
      showError(err, message, form);
    }
  };
  const finish = (v: DialogValues) => {
    if (dialog === 'result') {
      return post('result', {
        outcome: v.outcome,
        resultOn: day(v.resultOn),
        lossReason: v.outcome === 'lost' ? v.lossReason : undefined,
        winnerName: v.outcome === 'lost' ? v.winnerName : undefined,
        winningPrice: v.outcome === 'lost' && v.winningPrice ? toFen(v.winningPrice) : undefined,
        cancelReason: v.outcome === 'cancelled' ? v.cancelReason : undefined,
        note: v.note || undefined,
      });
    }
    if (dialog === 'bond') {
      return post('bond', {
        amount: toFen(v.amount),
        method: v.method,
        paidOn: day(v.paidOn),
        refundDueOn: day(v.refundDueOn) ?? null,
      });
    }
    return post('bond-refund', { refundedOn: day(v.refundedOn) });
  };
  const may = (action: Bid['actions'][number]) => b.actions.includes(action) && can('bids.update');
  const hasResult = b.state === 'won' || b.state === 'lost' || b.state === 'cancelled';
  const reasonLabel = (code: string | null) => {
    const r = settings.data?.lossReasons.find((x) => x.code === code);
    return r ? localName({ nameZh: r.labelZh, nameEn: r.labelEn }) : (code ?? '');
  };
  const today = dayjs();

  return (
    <>
      <PageHeader
        title={
          <Space>
            {b.tenderNumber} {b.projectName} <BidStateTag state={b.state} />
          </Space>
        }
        extra={
          <Space wrap>
            {may('edit') && (
              <Button onClick={() => navigate(`/sales/bids/${b.id}/edit`)} data-testid="bid-edit">
                {t('bids.edit')}
              </Button>
            )}
            {may('submit') && (
              <Button type="primary" onClick={() => post('submit', {})} data-testid="bid-submit">
                {t('bids.actions.submit')}
              </Button>
            )}
            {(may('win') || may('lose') || may('cancel')) && (
              <Button
                onClick={() => {
                  form.setFieldsValue({ outcome: may('win') ? 'won' : 'cancelled', resultOn: today });
                  setDialog('result');
                }}
                data-testid="bid-result"
              >
                {t('bids.actions.result')}
              </Button>
            )}
          </Space>
        }
      />
      <WinOpportunityOffer bid={b} />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('bids.issuer')}>
            {b.customerId ? <Link to={`/customers/${b.customerId}`}>{b.issuerName}</Link> : b.issuerName}
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.opportunity')}>
            {b.opportunityId ? (
              <Link to={`/sales/opportunities/${b.opportunityId}`}>{b.opportunityName}</Link>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.owner')}>
            {b.ownerName}（{b.orgUnitName}）
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.documentsPurchasedOn')}>
            {b.documentsPurchasedOn ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.questionDeadline')}>
            {formatTime(b.questionDeadline)}
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.submissionDeadline')}>
            <BidDeadline bid={b} />
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.openingAt')}>{formatTime(b.openingAt)}</Descriptions.Item>
          <Descriptions.Item label={t('bids.bidPrice')}>
            <span data-testid="bid-price-view">{b.bidPrice ? yuan(b.bidPrice) : '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('bids.submittedAt')}>{formatTime(b.submittedAt)}</Descriptions.Item>
          {b.note && (
            <Descriptions.Item label={t('bids.note')} span={3}>
              {b.note}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {hasResult && (
        <Card title={t('bids.result')} style={{ marginBottom: 16 }} data-testid="bid-result-card">
          <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
            <Descriptions.Item label={t('bids.resultOn')}>{b.resultOn}</Descriptions.Item>
            {b.state === 'lost' && (
              <>
                <Descriptions.Item label={t('bids.lossReason')}>
                  {reasonLabel(b.lossReason)}
                </Descriptions.Item>
                <Descriptions.Item label={t('bids.winnerName')}>
                  {b.winnerName}
                  {b.winningPrice ? `（${yuan(b.winningPrice)}）` : ''}
                </Descriptions.Item>
              </>
            )}
            {b.state === 'cancelled' && (
              <Descriptions.Item label={t('bids.cancelReason')}>{b.cancelReason}</Descriptions.Item>
            )}
            {b.resultNote && (
              <Descriptions.Item label={t('bids.note')} span={3}>
                {b.resultNote}
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      )}
      <Tabs
        items={[
          {
            key: 'bond',
            label: t('bids.bond.title'),
            children: (
              <Card size="small" data-testid="bid-bond-panel">
                <Descriptions column={{ xs: 1, md: 3 }} size="small">
                  <Descriptions.Item label={t('bids.bond.amount')}>
                    {b.bondAmount ? yuan(b.bondAmount) : '—'} {b.bondAmount ? <BondTag bid={b} /> : null}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('bids.bond.method')}>
                    {b.bondMethod ? t(`bids.bond.methods.${b.bondMethod}`) : '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('bids.bond.paidOn')}>{b.bondPaidOn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('bids.bond.refundDueOn')}>
                    {b.bondRefundDueOn ?? '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('bids.bond.refundedOn')}>
                    {b.bondRefundedOn ?? '—'}
                  </Descriptions.Item>
                </Descriptions>
                <Space style={{ marginTop: 12 }}>
                  {can('bids.bond') && !b.bondRefundedOn && (
                    <Button
                      onClick={() => {
                        form.setFieldsValue({
                          amount: b.bondAmount ? (b.bondAmount / 100).toFixed(2) : undefined,
                          method: b.bondMethod ?? 'bank_transfer',
                          paidOn: b.bondPaidOn ? dayjs(b.bondPaidOn) : today,
                          refundDueOn: b.bondRefundDueOn ? dayjs(b.bondRefundDueOn) : undefined,
                        });
                        setDialog('bond');
                      }}
                      data-testid="bid-bond-pay"
                    >
                      {t('bids.bond.recordPayment')}
                    </Button>
                  )}
                  {can('bids.bond') && b.bondPaidOn && !b.bondRefundedOn && (
                    <Button
                      onClick={() => {
                        form.setFieldsValue({ refundedOn: today });
                        setDialog('refund');
                      }}
                      data-testid="bid-bond-refund"
                    >
                      {t('bids.bond.recordRefund')}
                    </Button>
                  )}
                </Space>
              </Card>
            ),
          },
          {
            key: 'competitors',
            label: t('bids.competitors'),
            children: (
              <Table
                rowKey={(c) => c.name}
                size="small"
                pagination={false}
                dataSource={b.competitors}
                columns={[
                  { title: t('bids.competitorName'), dataIndex: 'name' },
                  {
                    title: t('bids.competitorPrice'),
                    dataIndex: 'price',
                    align: 'right',
                    render: (v: number | null) => yuan(v),
                  },
                  { title: t('bids.competitorNote'), dataIndex: 'note' },
                ]}
              />
            ),
          },
          {
            key: 'files',
            label: t('bids.files'),
            children: (
              <>
                <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('bids.filesHint')} />
                <Attachments entity="bid" entityId={b.id} />
              </>
            ),
          },
          {
            key: 'history',
            label: t('bids.history'),
            children: <RecordHistory path={`/bids/${b.id}/history`} actionKeys="bids.auditActions" />,
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={
          dialog === 'result'
            ? t('bids.actions.result')
            : dialog === 'bond'
              ? t('bids.bond.recordPayment')
              : t('bids.bond.recordRefund')
        }
        onCancel={() => {
          setDialog(null);
          form.resetFields();
        }}
        onOk={() => form.submit()}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={finish} data-testid="bid-dialog">
          {dialog === 'result' && (
            <>
              <Form.Item name="outcome" label={t('bids.outcome')} rules={[{ required: true }]}>
                <Radio.Group>
                  {may('win') && <Radio value="won">{t('bids.states.won')}</Radio>}
                  {may('lose') && <Radio value="lost">{t('bids.states.lost')}</Radio>}
                  <Radio value="cancelled">{t('bids.states.cancelled')}</Radio>
                </Radio.Group>
              </Form.Item>
              <Form.Item name="resultOn" label={t('bids.resultOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              {outcome === 'lost' && (
                <>
                  <Form.Item name="lossReason" label={t('bids.lossReason')} rules={[{ required: true }]}>
                    <Select
                      options={(settings.data?.lossReasons ?? []).map((r) => ({
                        value: r.code,
                        label: localName({ nameZh: r.labelZh, nameEn: r.labelEn }),
                      }))}
                      data-testid="bid-loss-reason"
                    />
                  </Form.Item>
                  <Form.Item name="winnerName" label={t('bids.winnerName')} rules={[{ required: true }]}>
                    <Input maxLength={200} list="bid-competitor-names" data-testid="bid-winner" />
                  </Form.Item>
                  <datalist id="bid-competitor-names">
                    {b.competitors.map((c) => (
                      <option key={c.name} value={c.name} />
                    ))}
                  </datalist>
                  <Form.Item name="winningPrice" label={t('bids.winningPrice')}>
                    <InputNumber<string>
                      stringMode
                      min="0"
                      precision={2}
                      prefix="¥"
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                </>
              )}
              {outcome === 'cancelled' && (
                <Form.Item name="cancelReason" label={t('bids.cancelReason')} rules={[{ required: true }]}>
                  <Input maxLength={500} placeholder={t('bids.cancelReasonHint')} />
                </Form.Item>
              )}
              <Form.Item name="note" label={t('bids.note')}>
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {dialog === 'bond' && (
            <>
              <Form.Item name="amount" label={t('bids.bond.amount')} rules={[{ required: true }]}>
                <InputNumber<string>
                  stringMode
                  min="0.01"
                  precision={2}
                  prefix="¥"
                  style={{ width: '100%' }}
                />
              </Form.Item>
              <Form.Item name="method" label={t('bids.bond.method')} rules={[{ required: true }]}>
                <Select
                  options={BOND_METHODS.map((m) => ({ value: m, label: t(`bids.bond.methods.${m}`) }))}
                />
              </Form.Item>
              <Form.Item name="paidOn" label={t('bids.bond.paidOn')} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item
                name="refundDueOn"
                label={t('bids.bond.refundDueOn')}
                extra={t('bids.bond.refundDueHint')}
              >
                <DatePicker />
              </Form.Item>
            </>
          )}
          {dialog === 'refund' && (
            <Form.Item name="refundedOn" label={t('bids.bond.refundedOn')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
