import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Flex, Space, Spin, Switch, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnitGrid as Grid, UnitGridCell } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { useSession } from '../../app/session.js';
import { ReasonModal, UnitDrawer } from './UnitDrawer.js';
import { formatTotal, formatYuan, UNIT_STATUS_COLORS, UNIT_STATUSES } from './UnitParts.js';

/**
 * The release-control grid (销控表): a tab per building, floors top to bottom, a cell per unit
 * coloured by status. Click a cell for its details and history; in selection mode, click cells to
 * select them and hold or release them together with one reason.
 */
export function UnitGrid({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const client = useQueryClient();
  const grid = useQuery({
    queryKey: ['unit-grid', projectId],
    queryFn: () => api.get<Grid>(`/unit-projects/${projectId}/grid`),
  });
  const [building, setBuilding] = useState<string>();
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<Map<string, UnitGridCell>>(new Map());
  const [open, setOpen] = useState<string>();
  const [asking, setAsking] = useState<'hold' | 'release' | null>(null);

  if (grid.isLoading) return <Spin />;
  const buildings = grid.data?.buildings ?? [];
  if (!buildings.length) return <Empty description={t('units.noUnits')} />;
  const current = buildings.find((b) => b.building === building) ?? buildings[0]!;
  const chosen = [...selected.values()];

  const toggle = (cell: UnitGridCell) => {
    const next = new Map(selected);
    if (next.has(cell.id)) next.delete(cell.id);
    else next.set(cell.id, cell);
    setSelected(next);
  };
  async function move(action: 'hold' | 'release', reason: string) {
    const res = await api
      .post<{ count: number }>(`/units/${action}`, {
        units: chosen.map((c) => ({ id: c.id, version: c.version })),
        reason,
      })
      .catch((err: unknown) => {
        // Someone else moved a unit meanwhile: show the grid as it is now.
        void client.invalidateQueries({ queryKey: ['unit-grid', projectId] });
        throw err;
      });
    void message.success(t(`units.grid.${action}Done`, { count: res.count }));
    setSelected(new Map());
    void client.invalidateQueries({ queryKey: ['unit-grid', projectId] });
    void client.invalidateQueries({ queryKey: ['unit-sell-through'] });
    void client.invalidateQueries({ queryKey: ['units'] });
    void client.invalidateQueries({ queryKey: ['unit-project', projectId] });
  }

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Space wrap>
          {UNIT_STATUSES.map((s) => (
            <Tag key={s} color={UNIT_STATUS_COLORS[s].tag} data-testid={`unit-legend-${s}`}>
              {t(`units.statuses.${s}`)} {current.counts[s] ?? 0}
            </Tag>
          ))}
        </Space>
        {can('units.hold') && (
          <Space wrap>
            <Switch
              checked={selecting}
              onChange={(v) => {
                setSelecting(v);
                setSelected(new Map());
              }}
              checkedChildren={t('units.grid.selecting')}
              unCheckedChildren={t('units.grid.select')}
              data-testid="unit-grid-select-mode"
            />
            {selecting && (
              <>
                <Typography.Text data-testid="unit-grid-selected">
                  {t('units.grid.selected', { count: chosen.length })}
                </Typography.Text>
                <Button
                  disabled={!chosen.length}
                  onClick={() => setAsking('hold')}
                  data-testid="unit-grid-hold"
                >
                  {t('units.actions.hold')}
                </Button>
                <Button
                  disabled={!chosen.length}
                  onClick={() => setAsking('release')}
                  data-testid="unit-grid-release"
                >
                  {t('units.actions.release')}
                </Button>
                <Button type="link" disabled={!chosen.length} onClick={() => setSelected(new Map())}>
                  {t('units.grid.clear')}
                </Button>
              </>
            )}
          </Space>
        )}
      </Flex>
      <Tabs
        activeKey={current.building}
        onChange={setBuilding}
        items={buildings.map((b) => ({ key: b.building, label: b.building || t('units.grid.all') }))}
        data-testid="unit-grid-buildings"
      />
      <div style={{ overflowX: 'auto' }} data-testid="unit-grid">
        <table style={{ borderCollapse: 'separate', borderSpacing: 4 }}>
          <tbody>
            {current.floors.map((floor) => (
              <tr key={String(floor.floor)} data-floor={floor.floor ?? ''}>
                <th style={{ padding: '0 8px', whiteSpace: 'nowrap', fontWeight: 500 }}>
                  {floor.floor === null ? '' : t('units.grid.floor', { floor: floor.floor })}
                </th>
                {floor.cells.map((cell, i) =>
                  cell ? (
                    <td key={cell.id} style={{ padding: 0 }}>
                      <Tooltip
                        title={
                          <>
                            {cell.unitType} · {cell.area ? `${cell.area}㎡` : ''}
                            <br />
                            {formatTotal(cell.listPrice, i18n.language)}
                            {cell.unitPrice !== null && ` · ${formatYuan(cell.unitPrice, i18n.language)}/㎡`}
                            {cell.holdReason && (
                              <>
                                <br />
                                {cell.holdReason}
                              </>
                            )}
                          </>
                        }
                      >
                        <button
                          type="button"
                          onClick={() => (selecting ? toggle(cell) : setOpen(cell.id))}
                          data-unit-number={cell.number}
                          data-unit-status={cell.status}
                          data-selected={selected.has(cell.id) ? 'true' : 'false'}
                          data-testid={`unit-cell-${cell.number}`}
                          style={{
                            width: 104,
                            minHeight: 56,
                            padding: 4,
                            cursor: 'pointer',
                            textAlign: 'left',
                            borderRadius: 6,
                            background: UNIT_STATUS_COLORS[cell.status].bg,
                            border: `${selected.has(cell.id) ? 3 : 1}px solid ${
                              selected.has(cell.id) ? '#1677ff' : UNIT_STATUS_COLORS[cell.status].border
                            }`,
                            fontSize: 12,
                            lineHeight: 1.4,
                          }}
                        >
                          <Flex justify="space-between">
                            <strong>{cell.number}</strong>
                            <span>{cell.grade}</span>
                          </Flex>
                          <div style={{ color: '#595959' }}>{cell.unitType ?? ''}</div>
                          <div>{formatTotal(cell.listPrice, i18n.language)}</div>
                        </button>
                      </Tooltip>
                    </td>
                  ) : (
                    <td key={`empty-${current.positions[i]}`} />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && <UnitDrawer id={open} onClose={() => setOpen(undefined)} />}
      {asking && (
        <ReasonModal
          title={t(`units.grid.${asking}Title`, { count: chosen.length })}
          onClose={() => setAsking(null)}
          onSubmit={(reason) => move(asking, reason)}
        />
      )}
    </>
  );
}
