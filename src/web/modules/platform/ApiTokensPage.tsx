import { useQuery } from '@tanstack/react-query';
import { App, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../contracts/index.js';
import { api, type Page } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { tokenColumns } from './tokenColumns.js';

/** Administrators see every user's API tokens and can revoke any of them. */
export function ApiTokensPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [q, setQ] = useState('');
  const tokens = useQuery({
    queryKey: ['api-tokens', q],
    queryFn: () => api.get<Page<ApiToken>>('/api-tokens', { q }),
  });
  const revoke = (token: ApiToken) =>
    modal.confirm({
      title: t('tokens.revokeConfirm', { name: token.name }),
      okText: t('tokens.revoke'),
      okButtonProps: { danger: true },
      onOk: async () => {
        await api.delete(`/api-tokens/${token.id}`).catch((err) => showError(err, message));
        await tokens.refetch();
      },
    });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <PageHeader title={t('menu.apiTokens')} hint={t('tokens.adminHint')} />
      <Input.Search allowClear placeholder={t('tokens.search')} onSearch={setQ} style={{ maxWidth: 320 }} />
      <Table
        rowKey="id"
        size="small"
        loading={tokens.isPending}
        dataSource={tokens.data?.items}
        scroll={{ x: true }}
        columns={tokenColumns(t, revoke, true)}
      />
    </Space>
  );
}
