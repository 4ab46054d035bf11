import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.js';

interface Division {
  code: string;
  name: string;
  hasChildren: boolean;
}
interface Node {
  id: string;
  pId?: string;
  value: string;
  title: string;
  isLeaf: boolean;
}

const toNode = (d: Division, parent?: string): Node => ({
  id: d.code,
  ...(parent ? { pId: parent } : {}),
  value: d.code,
  title: d.name,
  isLeaf: !d.hasChildren,
});

/** China provinces and cities (GB/T 2260), children loaded when a province opens. */
export function TerritoryPicker({
  value,
  onChange,
}: {
  value?: string[];
  onChange?: (codes: string[]) => void;
}) {
  const { t } = useTranslation();
  const [nodes, setNodes] = useState<Node[]>([]);
  const [loaded, setLoaded] = useState<Set<string>>(new Set());

  async function loadChildren(parent: string) {
    if (loaded.has(parent)) return;
    const { items } = await api.get<{ items: Division[] }>('/divisions', { parent });
    setLoaded((s) => new Set(s).add(parent));
    setNodes((prev) => [
      ...prev,
      ...items.filter((d) => !prev.some((n) => n.id === d.code)).map((d) => toNode(d, parent)),
    ]);
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: load provinces once, and the provinces of chosen cities
  useEffect(() => {
    void api.get<{ items: Division[] }>('/divisions').then(async ({ items }) => {
      setNodes(items.map((d) => toNode(d)));
      for (const province of new Set((value ?? []).filter((c) => c.length > 2).map((c) => c.slice(0, 2)))) {
        await loadChildren(province);
      }
    });
  }, []);

  return (
    <TreeSelect
      multiple
      treeDataSimpleMode
      treeData={nodes}
      value={value}
      onChange={onChange}
      loadData={(node) => loadChildren(String(node.value))}
      placeholder={t('org.territoriesPlaceholder')}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%' }}
      maxTagCount="responsive"
    />
  );
}
