import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tabs,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Contract, Installment } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { ApprovalTimeline } from '../platform/ApprovalTimeline.js';
import { Attachments } from '../platform/Attachments.js';
import { RecordHistory } from '../platform/HistoryDrawer.js';
import { ContractStateTag, yuan } from './ContractParts.js';

/** One contract: terms, payment plan, review, files and history, with the actions its state allows. */
export function ContractDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<'sign' | 'terminate' | null>(null);
  const [form] = Form.useForm<{ signedDate?: Dayjs; reason?: string }>();
  const query = useQuery({
    queryKey: ['contract', id],
    queryFn: () => api.get<Contract>(`/contracts/${id}`),
  });
  const c = query.data;
  if (!c) return null;

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['contract', id] });
    void client.invalidateQueries({ queryKey: ['contracts'] });
    void client.invalidateQueries({ queryKey: ['history'] });
    void client.invalidateQueries({ queryKey: ['approvals'] });
  };
  const act = async (action: string, body: Record<string, unknown> = {}) => {
    try {
      await api.post(`/contracts/${c.id}/${action}`, { ...body, version: c.version });
      setDialog(null);
      form.resetFields();
      refresh();
    } catch (err) {
      showError(err, message, form);
    }
  };
  const may = (action: string) =>
    c.actions.includes(action as Contract['actions'][number]) &&
    can(action === 'terminate' ? 'contracts.terminate' : 'contracts.update');

  const plan = [
    { title: t('contracts.seqShort'), dataIndex: 'seq', width: 70 },
    { title: t('contracts.dueDate'), dataIndex: 'dueDate' },
    {
      title: t('contracts.amount'),
      dataIndex: 'amount',
      align: 'right' as const,
      render: (v: number) => yuan(v),
    },
    {
      title: t('contracts.paid'),
      dataIndex: 'paidAmount',
      align: 'right' as const,
      render: (v: number) => yuan(v),
    },
    { title: t('contracts.note'), dataIndex: 'note' },
  ];

  return (
    <>
      <PageHeader
        title={
          <Space>
            {c.number} {c.title} <ContractStateTag state={c.state} />
          </Space>
        }
        extra={
          <Space wrap>
            {c.state === 'active' && can('sales-orders.create') && (
              <Button
                type="primary"
                onClick={() =>
                  navigate(`/orders/sales-orders/new?customerId=${c.customerId}&contractId=${c.id}`)
                }
                data-testid="contract-create-order"
              >
                {t('salesOrders.createOrder')}
              </Button>
            )}
            {may('edit') && (
              <Button onClick={() => navigate(`/sales/contracts/${c.id}/edit`)} data-testid="contract-edit">
                {t('contracts.edit')}
              </Button>
            )}
            {may('submit') && (
              <Button type="primary" onClick={() => act('submit')} data-testid="contract-submit">
                {t('contracts.actions.submit')}
              </Button>
            )}
            {may('sign') && (
              <Button type="primary" onClick={() => setDialog('sign')} data-testid="contract-sign">
                {t('contracts.actions.sign')}
              </Button>
            )}
            {may('complete') && (
              <Button onClick={() => act('complete')} data-testid="contract-complete">
                {t('contracts.actions.complete')}
              </Button>
            )}
            {may('terminate') && (
              <Button danger onClick={() => setDialog('terminate')} data-testid="contract-terminate">
                {t('contracts.actions.terminate')}
              </Button>
            )}
          </Space>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('contracts.customer')}>{c.customerName}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.signatory')}>{c.contactName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.ourParty')}>{c.ourParty}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.amount')}>
            <span data-testid="contract-amount-view">{yuan(c.amount)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.taxRate')}>{c.taxRate}%</Descriptions.Item>
          <Descriptions.Item label={t('contracts.term')}>
            {c.startDate} ~ {c.endDate}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.signedDate')}>{c.signedDate ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.owner')}>
            {c.ownerName}（{c.orgUnitName}）
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.submittedAt')}>
            {formatTime(c.submittedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('contracts.paymentTerms')}>{c.paymentTerms ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.deliveryTerms')}>{c.deliveryTerms ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('contracts.warranty')}>{c.warranty ?? '—'}</Descriptions.Item>
          {c.nonStandard && (
            <Descriptions.Item label={t('contracts.nonStandard')} span={3}>
              <Typography.Text type="warning">{c.nonStandardNote ?? t('contracts.yes')}</Typography.Text>
            </Descriptions.Item>
          )}
          {c.terminationReason && (
            <Descriptions.Item label={t('contracts.terminationReason')} span={3}>
              {c.terminationReason}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'plan',
            label: t('contracts.plan'),
            children: (
              <Table<Installment>
                rowKey="id"
                size="small"
                pagination={false}
                columns={plan}
                dataSource={c.installments}
                data-testid="contract-installments"
              />
            ),
          },
          {
            key: 'review',
            label: t('contracts.review'),
            children: <ApprovalTimeline docType="contract" docId={c.id} />,
          },
          {
            key: 'files',
            label: t('contracts.files'),
            children: <Attachments entity="contract" entityId={c.id} />,
          },
          {
            key: 'history',
            label: t('contracts.history'),
            children: (
              <RecordHistory path={`/contracts/${c.id}/history`} actionKeys="contracts.auditActions" />
            ),
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={dialog === 'sign' ? t('contracts.actions.sign') : t('contracts.actions.terminate')}
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ signedDate: dayjs() }}
          onFinish={(v) =>
            dialog === 'sign'
              ? act('sign', { signedDate: v.signedDate?.format('YYYY-MM-DD') })
              : act('terminate', { reason: v.reason })
          }
        >
          {dialog === 'sign' ? (
            <Form.Item name="signedDate" label={t('contracts.signedDate')} rules={[{ required: true }]}>
              <DatePicker data-testid="contract-signed-date" />
            </Form.Item>
          ) : (
            <Form.Item name="reason" label={t('contracts.terminationReason')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} maxLength={500} data-testid="contract-terminate-reason" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
