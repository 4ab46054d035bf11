import { Card, Col, Row, Tree, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { unitTree, useOrgUnits } from './orgData.js';
import { UserList } from './UserList.js';

/**
 * Colleagues within my data scope (my team for reps and managers), read-only. Whoever may read
 * the org structure also sees it here as a tree that filters the list.
 */
export function DirectoryPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const showTree = can('org.read');
  const units = useOrgUnits(false, showTree);
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>();
  const tree = unitTree(units.data?.items ?? []).map(function label(n): object {
    return {
      key: n.key,
      title: (
        <span>
          {n.title} <Typography.Text type="secondary">({n.unit.userCount})</Typography.Text>
        </span>
      ),
      children: n.children.map(label),
    };
  });
  return (
    <>
      <PageHeader title={t('menu.directory')} hint={t('org.directoryHint')} />
      <Row gutter={[16, 16]}>
        {showTree && (
          <Col xs={0} md={8} xl={6}>
            <Card title={t('org.tree')} size="small" loading={units.isPending}>
              <Tree
                blockNode
                defaultExpandAll
                key={units.data?.items.length ?? 0}
                treeData={tree}
                selectedKeys={orgUnitId ? [orgUnitId] : []}
                onSelect={([key]) => setOrgUnitId(key ? String(key) : undefined)}
                data-testid="directory-tree"
              />
            </Card>
          </Col>
        )}
        <Col xs={24} md={showTree ? 16 : 24} xl={showTree ? 18 : 24}>
          <UserList orgUnitId={orgUnitId} onOrgUnitIdChange={setOrgUnitId} />
        </Col>
      </Row>
    </>
  );
}
