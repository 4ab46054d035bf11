import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Segmented, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { TargetAgreement } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { formatTime } from '../../app/format.js';
import { showError } from '../../app/forms.js';
import { LoadMore, usePagedList } from '../../app/LoadMore.js';
import { PageHeader } from '../../app/PageHeader.js';
import { AgreementTag, formatTarget, metricKindOf } from './TargetParts.js';

const STATES = ['sent', 'signed', 'rejected', 'superseded'] as const;

/** 目标责任书: my agreements to sign, and for a manager each assignee's status. */
export function TargetAgreementsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [search] = useSearchParams();
  const planId = search.get('planId') ?? undefined;
  const [who, setWho] = useState<'mine' | 'team'>(planId ? 'team' : 'mine');
  const [state, setState] = useState<string | undefined>();
  const [rejecting, setRejecting] = useState<TargetAgreement | null>(null);
  const [comment, setComment] = useState('');
  const filters = { who, state, planId };
  const { list, rows } = usePagedList<TargetAgreement>(
    ['target-agreements', filters],
    '/target-agreements',
    filters,
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['target-agreements'] });

  const sign = async (a: TargetAgreement) => {
    try {
      await api.post(`/target-agreements/${a.id}/sign`);
      void message.success(t('targets.agreements.signedMessage'));
    } catch (err) {
      showError(err, message);
    }
    await refresh();
  };
  const reject = async () => {
    if (!rejecting) return;
    try {
      await api.post(`/target-agreements/${rejecting.id}/reject`, { comment });
      setRejecting(null);
      setComment('');
    } catch (err) {
      showError(err, message);
    }
    await refresh();
  };

  const columns: ColumnsType<TargetAgreement> = [
    { title: t('targets.agreements.number'), dataIndex: 'number' },
    { title: t('targets.agreements.plan'), dataIndex: 'planName', responsive: ['md'] },
    { title: t('targets.agreements.assignee'), dataIndex: ['assignee', 'name'] },
    {
      title: t('targets.agreements.target'),
      dataIndex: 'label',
      render: (l: string, a) => `${l} · ${a.period.key}`,
    },
    {
      title: t('targets.plan.amount'),
      dataIndex: 'amount',
      align: 'right',
      render: (v: number, a) => formatTarget(v, metricKindOf(a.metric), i18n.language),
    },
    {
      title: t('targets.agreements.breakdown'),
      dataIndex: 'breakdown',
      responsive: ['xl'],
      render: (b: TargetAgreement['breakdown'], a) =>
        b.length
          ? b
              .map((x) => `${x.key}: ${formatTarget(x.amount, metricKindOf(a.metric), i18n.language)}`)
              .join('；')
          : '—',
    },
    {
      title: t('targets.node.state'),
      dataIndex: 'state',
      render: (s: string, a) => (
        <Space size={4}>
          <AgreementTag state={s} />
          {a.comment && <span>{a.comment}</span>}
        </Space>
      ),
    },
    { title: t('targets.agreements.sentAt'), dataIndex: 'sentAt', responsive: ['lg'], render: formatTime },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, a) => (
        <Space size={4}>
          {a.canSign && (
            <>
              <Button
                size="small"
                type="primary"
                data-testid={`agreement-sign-${a.number}`}
                onClick={() => sign(a)}
              >
                {t('targets.agreements.sign')}
              </Button>
              <Button size="small" danger onClick={() => setRejecting(a)}>
                {t('targets.agreements.reject')}
              </Button>
            </>
          )}
          <a
            href={`/api/v1/target-agreements/${a.id}/pdf?locale=${i18n.language === 'en' ? 'en' : 'zh-CN'}`}
            target="_blank"
            rel="noreferrer"
          >
            PDF
          </a>
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageHeader title={t('targets.agreements.title')} hint={t('targets.agreements.hint')} />
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented
          value={who}
          onChange={(v) => setWho(v as 'mine' | 'team')}
          options={[
            { value: 'mine', label: t('targets.agreements.mine') },
            { value: 'team', label: t('targets.agreements.team') },
          ]}
        />
        <Select
          allowClear
          placeholder={t('targets.node.state')}
          style={{ width: 140 }}
          value={state}
          onChange={setState}
          options={STATES.map((s) => ({ value: s, label: t(`targets.agreementStates.${s}`) }))}
        />
      </Space>
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
        open={!!rejecting}
        title={t('targets.agreements.rejectTitle')}
        onCancel={() => setRejecting(null)}
        onOk={reject}
        okButtonProps={{ disabled: !comment.trim() }}
      >
        <Input.TextArea
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          placeholder={t('targets.agreements.rejectPlaceholder')}
        />
      </Modal>
    </>
  );
}
