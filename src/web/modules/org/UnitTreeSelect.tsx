import { TreeSelect, type TreeSelectProps } from 'antd';
import { useMemo } from 'react';
import type { OrgUnit } from '../../../contracts/index.js';
import { unitTree } from './orgData.js';

type Props = Omit<TreeSelectProps<string>, 'treeData' | 'showSearch'> & {
  units: OrgUnit[];
  /** A unit whose subtree is left out (a unit cannot move under itself). */
  exclude?: string;
};

/** Picks an org unit: the whole tree opened out, searchable by name. */
export function UnitTreeSelect({ units, exclude, ...props }: Props) {
  const treeData = useMemo(() => unitTree(units, exclude), [units, exclude]);
  return (
    <TreeSelect
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeData={treeData}
      {...props}
    />
  );
}
