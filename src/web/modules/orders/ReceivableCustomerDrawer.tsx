import { FilePdfOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { collectionNote, collectionTask, openItems } from '../../../contracts/payments.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { useSession } from '../../app/session.js';
import { downloadFile } from '../platform/ExportButton.js';
import { toFen, yuan } from '../sales/ContractParts.js';
import { BucketTag } from './PaymentParts.js';

type OpenItems = z.infer<typeof openItems>;
type Note = z.infer<typeof collectionNote>;
type Task = z.infer<typeof collectionTask>;

interface NoteValues {
  note: string;
  promisedDate?: Dayjs;
  promisedAmount?: string;
}

/** One customer's receivables: open items, collection tasks and notes (催收记录), the statement. */
export function ReceivableCustomerDrawer({
  customerId,
  onClose,
}: {
  customerId: string | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<NoteValues>();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs()]);
  const [busy, setBusy] = useState(false);
  const enabled = !!customerId;
  const open = useQuery({
    queryKey: ['receivables', 'customer', customerId],
    queryFn: () => api.get<OpenItems>(`/receivables/customers/${customerId}`),
    enabled,
  });
  const notes = useQuery({
    queryKey: ['receivables', 'notes', customerId],
    queryFn: () => api.get<Note[]>(`/receivables/customers/${customerId}/notes`),
    enabled,
  });
  const tasks = useQuery({
    queryKey: ['receivables', 'tasks', customerId],
    queryFn: () => api.get<Task[]>('/collection-tasks', { customerId, status: 'open' }),
    enabled,
  });

  const addNote = async (v: NoteValues) => {
    try {
      await api.post('/collection-notes', {
        customerId,
        note: v.note,
        promisedDate: v.promisedDate?.format('YYYY-MM-DD'),
        promisedAmount: v.promisedAmount ? toFen(v.promisedAmount) : undefined,
      });
      form.resetFields();
      void message.success(t('receivables.noteAdded'));
      await qc.invalidateQueries({ queryKey: ['receivables'] });
    } catch (err) {
      showError(err, message, form);
    }
  };
  const done = async (task: Task) => {
    try {
      await api.post(`/collection-tasks/${task.id}/done`, { version: task.version });
      await qc.invalidateQueries({ queryKey: ['receivables', 'tasks', customerId] });
    } catch (err) {
      showError(err, message);
    }
  };
  const statement = async () => {
    setBusy(true);
    await downloadFile(
      `/receivables/customers/${customerId}/statement`,
      { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), locale: i18n.language },
      message,
    );
    setBusy(false);
  };
  const d = open.data;
  return (
    <Drawer
      open={enabled}
      onClose={onClose}
      size="large"
      title={d?.customerName}
      data-testid="receivable-customer"
      destroyOnHidden
    >
      {d && (
        <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('receivables.balance')}>
            <span data-testid="receivable-balance">{yuan(d.balance)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('receivables.unapplied')}>{yuan(d.unapplied)}</Descriptions.Item>
        </Descriptions>
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        <Button
          icon={<FilePdfOutlined />}
          loading={busy}
          onClick={statement}
          data-testid="receivable-statement"
        >
          {t('receivables.statement')}
        </Button>
      </Space>
      <Typography.Title level={5}>{t('receivables.openItems')}</Typography.Title>
      <Table
        rowKey={(i) => `${i.kind}:${i.id}`}
        size="small"
        pagination={false}
        loading={open.isLoading}
        dataSource={d?.items ?? []}
        data-testid="receivable-open-items"
        columns={[
          { title: t('receivables.item'), dataIndex: 'label' },
          { title: t('receivables.dueDate'), dataIndex: 'dueDate' },
          {
            title: t('receivables.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (v: number) => yuan(v),
          },
          { title: t('receivables.open'), dataIndex: 'open', align: 'right', render: (v: number) => yuan(v) },
          { title: t('receivables.bucket'), dataIndex: 'bucket', render: (b) => <BucketTag bucket={b} /> },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('receivables.tasks')}
      </Typography.Title>
      <List
        size="small"
        dataSource={tasks.data ?? []}
        locale={{ emptyText: t('receivables.noTasks') }}
        renderItem={(task) => (
          <List.Item
            actions={
              can('receivables.collect')
                ? [
                    <Button key="done" size="small" onClick={() => done(task)}>
                      {t('receivables.taskDone')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space>
              <Tag>{t(`receivables.buckets.${task.bucket}`)}</Tag>
              {task.dueDate} · {yuan(task.amountDue)} · {task.assigneeName ?? '—'}
            </Space>
          </List.Item>
        )}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('receivables.notes')}
      </Typography.Title>
      {can('receivables.collect') && (
        <Form form={form} layout="vertical" onFinish={addNote}>
          <Form.Item name="note" label={t('receivables.note')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea maxLength={1000} rows={2} data-testid="collection-note" />
          </Form.Item>
          <Space>
            <Form.Item name="promisedDate" label={t('receivables.promisedDate')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="promisedAmount" label={t('receivables.promisedAmount')}>
              <InputNumber<string> stringMode min="0" precision={2} />
            </Form.Item>
          </Space>
          <Button htmlType="submit" data-testid="collection-note-add">
            {t('receivables.addNote')}
          </Button>
        </Form>
      )}
      <List
        size="small"
        dataSource={notes.data ?? []}
        locale={{ emptyText: t('receivables.noNotes') }}
        data-testid="collection-notes"
        renderItem={(n) => (
          <List.Item>
            <List.Item.Meta
              title={n.note}
              description={[
                dayjs(n.createdAt).format('YYYY-MM-DD HH:mm'),
                n.createdByName,
                n.promisedDate && `${t('receivables.promised')} ${n.promisedDate}`,
                n.promisedAmount !== null && yuan(n.promisedAmount),
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          </List.Item>
        )}
      />
    </Drawer>
  );
}
