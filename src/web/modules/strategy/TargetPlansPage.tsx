import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Select, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  TARGET_METRICS,
  type TargetMetric,
  type TargetPlan,
  type TargetPlanDetail,
} from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { formatTarget, fromInput, metricKindOf } from './TargetParts.js';

interface NewPlan {
  name: string;
  fiscalYear: number;
  metric: TargetMetric;
  amount: number;
}

/** 目标管理: the target plans I can see; a director sets a new annual target. */
export function TargetPlansPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [year, setYear] = useState<number | undefined>();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewPlan>();
  const filters = { fiscalYear: year };
  const { list, rows } = usePagedList<TargetPlan>(['target-plans', filters], '/target-plans', filters);

  const create = async () => {
    const values = await form.validateFields();
    try {
      const res = await api.post<TargetPlanDetail>('/target-plans', {
        ...values,
        amount: fromInput(values.amount, metricKindOf(values.metric)),
      });
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['target-plans'] });
      navigate(`/targets/plans/${res.plan.id}`);
    } catch (err) {
      showError(err, message, form);
    }
  };

  const columns: ColumnsType<TargetPlan> = [
    {
      title: t('targets.plan.name'),
      dataIndex: 'name',
      render: (name: string, p) => (
        <Link to={`/targets/plans/${p.id}`} data-testid={`target-plan-${p.fiscalYear}`}>
          {name}
        </Link>
      ),
    },
    { title: t('targets.plan.fiscalYear'), dataIndex: 'fiscalYear' },
    {
      title: t('targets.plan.metric'),
      dataIndex: 'metric',
      render: (m: string) => t(`targets.metrics.${m}`),
    },
    {
      title: t('targets.plan.amount'),
      dataIndex: 'amount',
      align: 'right',
      render: (v: number, p) => formatTarget(v, p.metricKind, i18n.language),
    },
  ];
  const thisYear = dayjs().year();
  return (
    <>
      <PageHeader
        title={t('targets.plans.title')}
        hint={t('targets.plans.hint')}
        extra={
          can('targets.create') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="target-plan-new"
              onClick={() => {
                form.setFieldsValue({ fiscalYear: thisYear + 1, metric: 'booked_revenue' });
                setOpen(true);
              }}
            >
              {t('targets.plans.new')}
            </Button>
          )
        }
      />
      <Select
        allowClear
        placeholder={t('targets.plan.fiscalYear')}
        style={{ width: 140, marginBottom: 12 }}
        value={year}
        onChange={setYear}
        options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: String(y) }))}
      />
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isLoading}
        pagination={false}
        footer={() => <LoadMore list={list} />}
      />
      <Modal
        open={open}
        title={t('targets.plans.new')}
        onCancel={() => setOpen(false)}
        onOk={create}
        okButtonProps={{ 'data-testid': 'target-plan-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('targets.plan.name')} rules={[rules.required()]}>
            <Input data-testid="target-plan-name" placeholder={t('targets.plans.namePlaceholder')} />
          </Form.Item>
          <Form.Item name="fiscalYear" label={t('targets.plan.fiscalYear')} rules={[rules.required()]}>
            <InputNumber min={2000} max={2100} precision={0} />
          </Form.Item>
          <Form.Item name="metric" label={t('targets.plan.metric')} rules={[rules.required()]}>
            <Select options={TARGET_METRICS.map((m) => ({ value: m, label: t(`targets.metrics.${m}`) }))} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {({ getFieldValue }) => (
              <Form.Item
                name="amount"
                label={`${t('targets.plan.amount')}${metricKindOf(getFieldValue('metric')) === 'money' ? ` (${t('targets.yuan')})` : ''}`}
                rules={[rules.required()]}
              >
                <InputNumber min={0} style={{ width: '100%' }} data-testid="target-plan-amount" />
              </Form.Item>
            )}
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
