import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table/index.js';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ProductCategory } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { showError } from '../../app/forms.js';
import { PageHeader } from '../../app/PageHeader.js';
import { rules } from '../../app/rules.js';
import { useSession } from '../../app/session.js';
import { type CategoryNode, CategorySelect, categoryTree, useCategories } from './ProductForm.js';

interface FormValues {
  parentId?: string | null;
  code: string;
  name: string;
  nameEn?: string | null;
  sortOrder?: number;
}

function CategoryModal({
  category,
  parentId,
  onClose,
}: {
  category: ProductCategory | null;
  parentId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(category ?? { parentId, sortOrder: 0 });
  }, [category, parentId, form]);
  async function save() {
    const values = await form.validateFields();
    const body = { ...values, parentId: values.parentId ?? null, nameEn: values.nameEn || null };
    setSaving(true);
    try {
      if (category)
        await api.patch(`/product-categories/${category.id}`, { ...body, version: category.version });
      else await api.post('/product-categories', { ...body, nameEn: body.nameEn ?? undefined });
      void client.invalidateQueries({ queryKey: ['product-categories'] });
      void message.success(t('common.saved'));
      onClose();
    } catch (err) {
      showError(err, message, form);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      title={category ? t('catalog.category.edit') : t('catalog.category.new')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: saving }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item name="parentId" label={t('catalog.category.parent')}>
          <CategorySelect />
        </Form.Item>
        <Form.Item name="code" label={t('catalog.category.code')} rules={[rules.required()]}>
          <Input maxLength={30} data-testid="category-code" />
        </Form.Item>
        <Form.Item name="name" label={t('catalog.category.name')} rules={[rules.required()]}>
          <Input maxLength={100} data-testid="category-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('catalog.category.nameEn')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('catalog.category.sortOrder')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 商品分类: the category tree as a table; add, rename, move, archive (when empty) and restore. */
export function CategoriesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<{
    category: ProductCategory | null;
    parentId: string | null;
  } | null>(null);
  const categories = useCategories(showArchived);
  const editable = can('products.update');
  const tree = categoryTree(categories.data?.items ?? [], i18n.language);
  const withoutEmpty = (nodes: CategoryNode[]): (CategoryNode & { children?: CategoryNode[] })[] =>
    nodes.map(
      (n) => ({ ...n, children: n.children.length ? withoutEmpty(n.children) : undefined }) as CategoryNode,
    );

  async function act(c: ProductCategory, action: 'archive' | 'restore') {
    try {
      await api.post(`/product-categories/${c.id}/${action}`, { version: c.version });
      void client.invalidateQueries({ queryKey: ['product-categories'] });
      void message.success(t('common.saved'));
    } catch (err) {
      showError(err, message);
    }
  }

  const columns: ColumnsType<CategoryNode> = [
    {
      title: t('catalog.category.name'),
      dataIndex: 'title',
      render: (title: string, n) => (
        <Space>
          {title}
          {n.category.archived && <Tag>{t('catalog.statuses.archived')}</Tag>}
        </Space>
      ),
    },
    { title: t('catalog.category.code'), render: (_, n) => n.category.code },
    {
      title: t('catalog.category.activeProducts'),
      align: 'right',
      render: (_, n) => (
        <Link to={`/catalog/products?categoryId=${n.category.id}`}>{n.category.activeProducts}</Link>
      ),
    },
    { title: t('catalog.category.sortOrder'), align: 'right', render: (_, n) => n.category.sortOrder },
    ...(editable
      ? ([
          {
            title: t('common.actions'),
            render: (_: unknown, n: CategoryNode) => (
              <Space size="small" wrap>
                {!n.category.archived && (
                  <>
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setEditing({ category: null, parentId: n.category.id })}
                    >
                      {t('catalog.category.addChild')}
                    </Button>
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setEditing({ category: n.category, parentId: null })}
                    >
                      {t('common.edit')}
                    </Button>
                    <Popconfirm
                      title={t('catalog.category.archiveConfirm')}
                      onConfirm={() => act(n.category, 'archive')}
                    >
                      <Button
                        size="small"
                        type="link"
                        danger
                        data-testid={`category-archive-${n.category.code}`}
                      >
                        {t('catalog.category.archive')}
                      </Button>
                    </Popconfirm>
                  </>
                )}
                {n.category.archived && (
                  <Button size="small" type="link" onClick={() => void act(n.category, 'restore')}>
                    {t('catalog.category.restore')}
                  </Button>
                )}
              </Space>
            ),
          },
        ] as ColumnsType<CategoryNode>)
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('catalog.category.title')}
        hint={t('catalog.category.hint')}
        extra={
          <Space wrap>
            <Checkbox checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)}>
              {t('catalog.category.showArchived')}
            </Checkbox>
            {editable && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing({ category: null, parentId: null })}
                data-testid="category-new"
              >
                {t('catalog.category.new')}
              </Button>
            )}
          </Space>
        }
      />
      <Table
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={withoutEmpty(tree)}
        loading={categories.isLoading}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        key={categories.data ? `loaded-${showArchived}` : 'loading'}
        data-testid="category-table"
      />
      {editing && <CategoryModal {...editing} onClose={() => setEditing(null)} />}
    </>
  );
}
