import { DownOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Dropdown, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedView, SavedViewList, ViewFilters } from '../../contracts/index.js';
import { api } from './api.js';
import { showError } from './forms.js';
import { useSession } from './session.js';

type Values = Record<string, string | string[] | undefined | null>;

/** Only what a view may hold: strings and lists of strings; empty values are left out. */
function toFilters(value: Values): ViewFilters {
  const out: ViewFilters = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && v !== '') out[k] = v;
    else if (Array.isArray(v) && v.length) out[k] = v.map(String);
  }
  return out;
}

/**
 * 视图: saved filters, sort and columns of a list. Pick a view to apply it; save the current
 * filters as a new view (shared with everyone who reads the list for those allowed), update,
 * rename, delete, and choose one as one's default — applied once when the list opens.
 */
export function SavedViews({
  listKey,
  value,
  onChange,
  applyDefault = true,
}: {
  listKey: string;
  value: Values;
  onChange: (filters: ViewFilters) => void;
  applyDefault?: boolean;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { can } = useSession();
  const client = useQueryClient();
  const queryKey = ['views', listKey];
  const views = useQuery({ queryKey, queryFn: () => api.get<SavedViewList>('/views', { listKey }) });
  const [current, setCurrent] = useState<string | undefined>();
  const [dialog, setDialog] = useState<'create' | 'rename' | null>(null);
  const [form] = Form.useForm<{ name: string; shared: boolean; isDefault: boolean }>();
  const applied = useRef(false);
  const items = views.data?.items ?? [];
  const selected = items.find((v) => v.id === current);

  useEffect(() => {
    if (applied.current || !views.data) return;
    applied.current = true;
    const def = views.data.items.find((v) => v.id === views.data.defaultViewId);
    if (applyDefault && def) {
      setCurrent(def.id);
      onChange(def.filters);
    }
  }, [views.data, applyDefault, onChange]);

  const reload = (list?: SavedViewList) =>
    list ? client.setQueryData(queryKey, list) : client.invalidateQueries({ queryKey });

  const choose = (id: string | undefined) => {
    setCurrent(id);
    const v = items.find((x) => x.id === id);
    if (v) onChange(v.filters);
  };

  const submit = async () => {
    const v = await form.validateFields();
    try {
      if (dialog === 'create') {
        const created = await api.post<SavedView>('/views', {
          listKey,
          name: v.name,
          filters: toFilters(value),
          shared: !!v.shared,
          isDefault: !!v.isDefault,
        });
        setCurrent(created.id);
      } else if (selected) {
        await api.patch(`/views/${selected.id}`, {
          name: v.name,
          shared: !!v.shared,
          version: selected.version,
        });
      }
      setDialog(null);
      void message.success(t('savedViews.saved'));
      await reload();
    } catch (err) {
      showError(err, message, form);
    }
  };

  const act = async (action: string) => {
    try {
      if (action === 'create') {
        form.setFieldsValue({ name: '', shared: false, isDefault: false });
        setDialog('create');
      } else if (!selected) {
        return;
      } else if (action === 'update') {
        await api.patch(`/views/${selected.id}`, { filters: toFilters(value), version: selected.version });
        void message.success(t('savedViews.saved'));
        await reload();
      } else if (action === 'rename') {
        form.setFieldsValue({ name: selected.name, shared: selected.shared });
        setDialog('rename');
      } else if (action === 'default') {
        await reload(await api.put<SavedViewList>('/views/default', { listKey, viewId: selected.id }));
      } else if (action === 'clearDefault') {
        await reload(await api.put<SavedViewList>('/views/default', { listKey, viewId: null }));
      } else if (action === 'delete') {
        modal.confirm({
          title: t('savedViews.deleteConfirm', { name: selected.name }),
          okButtonProps: { danger: true },
          onOk: async () => {
            try {
              await api.delete(`/views/${selected.id}`);
              setCurrent(undefined);
              await reload();
            } catch (err) {
              showError(err, message);
            }
          },
        });
      }
    } catch (err) {
      showError(err, message);
    }
  };

  const canChange = !!selected && (selected.mine || (selected.shared && can('views.manage')));
  return (
    <Space.Compact data-testid={`saved-views-${listKey}`}>
      <Select
        allowClear
        style={{ minWidth: 180 }}
        placeholder={t('savedViews.placeholder')}
        value={current}
        onChange={choose}
        loading={views.isLoading}
        options={items.map((v) => ({
          value: v.id,
          label: (
            <Space size={4}>
              {v.name}
              {v.shared && <Tag color="blue">{v.mine ? t('savedViews.sharedTag') : v.ownerName}</Tag>}
              {v.isDefault && <Tag color="green">{t('savedViews.defaultTag')}</Tag>}
            </Space>
          ),
        }))}
      />
      <Dropdown
        menu={{
          onClick: ({ key }) => void act(key),
          items: [
            { key: 'create', label: t('savedViews.saveAs') },
            { key: 'update', label: t('savedViews.update'), disabled: !canChange },
            { key: 'rename', label: t('savedViews.rename'), disabled: !canChange },
            selected?.isDefault
              ? { key: 'clearDefault', label: t('savedViews.clearDefault') }
              : { key: 'default', label: t('savedViews.setDefault'), disabled: !selected },
            { type: 'divider' },
            { key: 'delete', label: t('savedViews.delete'), danger: true, disabled: !canChange },
          ],
        }}
      >
        <Button data-testid={`saved-views-menu-${listKey}`}>
          {t('savedViews.label')} <DownOutlined />
        </Button>
      </Dropdown>
      <Modal
        open={dialog !== null}
        title={dialog === 'create' ? t('savedViews.saveAs') : t('savedViews.rename')}
        onOk={() => void submit()}
        onCancel={() => setDialog(null)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('savedViews.name')} rules={[{ required: true, max: 60 }]}>
            <Input maxLength={60} data-testid="saved-view-name" />
          </Form.Item>
          {(can('views.share') || (dialog === 'rename' && selected?.shared)) && (
            <Form.Item name="shared" valuePropName="checked">
              <Checkbox>{t('savedViews.shareHint')}</Checkbox>
            </Form.Item>
          )}
          {dialog === 'create' && (
            <Form.Item name="isDefault" valuePropName="checked">
              <Checkbox>{t('savedViews.makeDefault')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space.Compact>
  );
}
