import { useQuery } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Calendar,
  Card,
  Empty,
  Flex,
  Grid,
  Segmented,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Calendar as CalendarData, CalendarItem } from '../../../contracts/index.js';
import { api } from '../../app/api.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';

const KIND_COLORS: Record<CalendarItem['kind'], string> = {
  activity: 'green',
  next_step: 'orange',
  stop: 'blue',
};

/** Monday of the week holding `d`. */
const weekStart = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

/** The dates a view shows: a week from Monday, or the whole weeks around a month. */
function rangeOf(view: 'week' | 'month', anchor: Dayjs): [Dayjs, Dayjs] {
  if (view === 'week') {
    const from = weekStart(anchor);
    return [from, from.add(6, 'day')];
  }
  const from = weekStart(anchor.startOf('month'));
  const lastMonday = weekStart(anchor.endOf('month'));
  return [from, lastMonday.add(6, 'day')];
}

/** 日历: activities, next steps and visit plan stops by week or month; a click opens the record. */
export function CalendarPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [view, setView] = useState<'week' | 'month'>(screens.md === false ? 'week' : 'month');
  const [who, setWho] = useState<'mine' | 'team'>('mine');
  const [anchor, setAnchor] = useState(() => dayjs());
  const [selected, setSelected] = useState(() => dayjs().format('YYYY-MM-DD'));
  const [from, to] = rangeOf(view, anchor);
  const fromKey = from.format('YYYY-MM-DD');
  const toKey = to.format('YYYY-MM-DD');
  const data = useQuery({
    queryKey: ['calendar', who, fromKey, toKey],
    queryFn: () => api.get<CalendarData>('/calendar', { from: fromKey, to: toKey, who }),
  });
  const byDate = new Map<string, CalendarItem[]>();
  for (const item of data.data?.items ?? []) byDate.set(item.date, [...(byDate.get(item.date) ?? []), item]);

  const open = (item: CalendarItem) => {
    if (item.kind === 'stop' && item.planId) navigate(`/visit-plans/${item.planId}`);
    else if (item.customerId) navigate(`/customers/${item.customerId}`);
    else if (item.leadId) navigate(`/leads/${item.leadId}`);
  };

  const label = (item: CalendarItem) =>
    `${item.time ? `${item.time} ` : ''}${item.customerName ?? ''}${item.customerName ? ' · ' : ''}${item.title}`;

  const line = (item: CalendarItem, compact: boolean) => (
    <button
      key={`${item.kind}-${item.id}`}
      type="button"
      onClick={(e) => {
        e.stopPropagation();
        open(item);
      }}
      title={label(item)}
      style={{
        display: 'block',
        width: '100%',
        textAlign: 'left',
        border: 0,
        background: 'none',
        padding: compact ? 0 : '4px 0',
        cursor: 'pointer',
        overflow: 'hidden',
        whiteSpace: compact ? 'nowrap' : 'normal',
        textOverflow: 'ellipsis',
        fontSize: compact ? 12 : 14,
        opacity: item.done && item.kind !== 'activity' ? 0.6 : 1,
      }}
      data-testid="calendar-item"
    >
      <Badge color={KIND_COLORS[item.kind]} />{' '}
      {compact ? (
        label(item)
      ) : (
        <>
          <Tag color={KIND_COLORS[item.kind]}>{t(`visits.calendar.kinds.${item.kind}`)}</Tag>
          {label(item)}
          {who === 'team' && <Typography.Text type="secondary"> · {item.ownerName}</Typography.Text>}
        </>
      )}
    </button>
  );

  const step = (n: number) => setAnchor((a) => a.add(n, view === 'week' ? 'week' : 'month'));
  const days = Array.from({ length: 7 }, (_, i) => from.add(i, 'day'));
  const dayItems = byDate.get(selected) ?? [];

  return (
    <>
      <PageHeader title={t('visits.calendar.title')} hint={t('visits.calendar.hint')} />
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented
          value={view}
          onChange={(v) => setView(v as 'week' | 'month')}
          options={[
            { value: 'week', label: t('visits.calendar.week') },
            { value: 'month', label: t('visits.calendar.month') },
          ]}
          data-testid="calendar-view"
        />
        {can('customers.assign') && (
          <Segmented
            value={who}
            onChange={(v) => setWho(v as 'mine' | 'team')}
            options={[
              { value: 'mine', label: t('visits.calendar.mine') },
              { value: 'team', label: t('visits.calendar.team') },
            ]}
            data-testid="calendar-who"
          />
        )}
        <Space.Compact>
          <Button onClick={() => step(-1)} aria-label={t('visits.calendar.prev')} data-testid="calendar-prev">
            ‹
          </Button>
          <Button
            onClick={() => {
              setAnchor(dayjs());
              setSelected(dayjs().format('YYYY-MM-DD'));
            }}
            data-testid="calendar-today"
          >
            {t('visits.calendar.today')}
          </Button>
          <Button onClick={() => step(1)} aria-label={t('visits.calendar.next')} data-testid="calendar-next">
            ›
          </Button>
        </Space.Compact>
        <Typography.Text strong>
          {fromKey} – {toKey}
        </Typography.Text>
        {data.isFetching && <Spin size="small" />}
      </Flex>

      {view === 'month' ? (
        <>
          <Calendar
            value={anchor}
            headerRender={() => null}
            onSelect={(d) => {
              setSelected(d.format('YYYY-MM-DD'));
              if (!d.isSame(anchor, 'month')) setAnchor(d);
            }}
            fullscreen={screens.md !== false}
            cellRender={(d, info) => {
              if (info.type !== 'date') return info.originNode;
              const items = byDate.get(d.format('YYYY-MM-DD')) ?? [];
              if (!items.length) return null;
              if (screens.md === false) return <Badge count={items.length} size="small" color="blue" />;
              return (
                <div>
                  {items.slice(0, 3).map((i) => line(i, true))}
                  {items.length > 3 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('visits.calendar.more', { count: items.length - 3 })}
                    </Typography.Text>
                  )}
                </div>
              );
            }}
            data-testid="calendar-month"
          />
          <Card size="small" title={selected} style={{ marginTop: 12 }}>
            {dayItems.length ? (
              dayItems.map((i) => line(i, false))
            ) : (
              <Empty description={t('visits.calendar.none')} />
            )}
          </Card>
        </>
      ) : (
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: screens.md === false ? '1fr' : 'repeat(7, minmax(0, 1fr))',
            gap: 8,
          }}
          data-testid="calendar-week"
        >
          {days.map((d) => {
            const key = d.format('YYYY-MM-DD');
            const items = byDate.get(key) ?? [];
            const today = key === dayjs().format('YYYY-MM-DD');
            return (
              <Card
                key={key}
                size="small"
                title={`${t(`visits.calendar.weekdays.${(d.day() + 6) % 7}`)} ${d.format('MM-DD')}`}
                style={today ? { borderColor: '#1677ff' } : undefined}
                styles={{ body: { padding: 8, minHeight: screens.md === false ? 0 : 120 } }}
              >
                {items.length ? (
                  items.map((i) => line(i, false))
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                )}
              </Card>
            );
          })}
        </div>
      )}
    </>
  );
}
