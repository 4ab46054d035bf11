import {
  Alert,
  Avatar,
  Card,
  Col,
  Descriptions,
  Flex,
  Grid,
  Row,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { visibleMenu } from '../../app/menu.js';
import { PageHeader } from '../../app/PageHeader.js';
import { useSession } from '../../app/session.js';
import { BRAND_COLOR } from '../../app/theme.js';
import { useApprovalCounts } from './approvalData.js';
import { useUnreadCount } from './NotificationBell.js';

/** Chinese names show their last two characters (the given name), others their initials. */
function avatarText(name: string) {
  if (/[\u4e00-\u9fff]/.test(name)) return name.slice(-2);
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

/** Home page: who I am, my company, and where I can go. Business modules add their widgets here. */
export function WorkbenchPage() {
  const { t, i18n } = useTranslation();
  const { me, can } = useSession();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const approvals = useApprovalCounts();
  const unread = useUnreadCount();
  if (!me) return null;
  const todo = [
    {
      key: 'approvals',
      path: '/approvals',
      label: t('workbench.todo.approvals'),
      value: approvals.data?.pending,
    },
    {
      key: 'submitted',
      path: '/approvals',
      label: t('workbench.todo.submitted'),
      value: approvals.data?.submitted,
    },
    { key: 'unread', path: '/notifications', label: t('workbench.todo.unread'), value: unread.data?.count },
  ];
  const zh = i18n.language === 'zh-CN';
  const shortcuts = visibleMenu(can)
    .flatMap((g) => g.entries)
    .filter((e) => e.key !== 'workbench');
  const hour = dayjs().hour();
  const greeting = hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
  return (
    <>
      <PageHeader title={t('workbench.welcome', { name: me.user.name })} />
      {me.company.demo && (
        <Alert type="info" showIcon title={t('workbench.demoNotice')} style={{ marginBottom: 16 }} />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card>
            <Flex gap={16} align="center">
              <Avatar
                size={screens.sm ? 64 : 48}
                style={{
                  background: BRAND_COLOR,
                  fontSize: screens.sm ? 22 : 17,
                  flex: 'none',
                  alignSelf: 'flex-start',
                }}
              >
                {avatarText(me.user.name)}
              </Avatar>
              <div style={{ minWidth: 0, flex: 1 }}>
                <Typography.Title level={4} style={{ margin: 0 }}>
                  {t(`workbench.greeting.${greeting}`, { name: me.user.name })}
                </Typography.Title>
                <Typography.Text type="secondary">
                  {[me.user.orgUnitName, me.user.position].filter(Boolean).join(' · ')}
                </Typography.Text>
                <Space size={4} wrap style={{ margin: '6px 0', display: 'flex' }}>
                  {me.roles.map((r) => (
                    <Tag key={r.key} color="blue">
                      {zh ? r.nameZh : r.nameEn}
                    </Tag>
                  ))}
                </Space>
                <div>
                  <Typography.Text type="secondary">
                    {t('workbench.today', {
                      date: dayjs().format(t('workbench.dateFormat')),
                    })}
                  </Typography.Text>
                </div>
              </div>
            </Flex>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('workbench.todo.title')}>
            <Row gutter={[16, 16]}>
              {todo.map((item) => (
                <Col key={item.key} xs={8}>
                  <Card
                    size="small"
                    hoverable
                    onClick={() => navigate(item.path)}
                    data-testid={`todo-${item.key}`}
                  >
                    <Statistic title={item.label} value={item.value ?? 0} />
                  </Card>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('workbench.company')} style={{ height: '100%' }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('settings.company')}>{me.company.name}</Descriptions.Item>
              <Descriptions.Item label={t('settings.timeZone')}>{me.company.timeZone}</Descriptions.Item>
              <Descriptions.Item label={t('settings.currency')}>
                {t(`settings.currencies.${me.company.currency}`, { defaultValue: me.company.currency })}
              </Descriptions.Item>
              <Descriptions.Item label={t('settings.weekStart')}>
                {t(`settings.weekdays.${me.company.weekStart}`)}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('workbench.shortcuts')} style={{ height: '100%' }}>
            {shortcuts.length === 0 && (
              <Typography.Text type="secondary">{t('workbench.noShortcuts')}</Typography.Text>
            )}
            <Row gutter={[12, 12]}>
              {shortcuts.map((e) => (
                <Col key={e.key} xs={12} sm={8}>
                  <Card
                    size="small"
                    hoverable
                    onClick={() => navigate(e.path)}
                    data-testid={`shortcut-${e.key}`}
                    styles={{ body: { display: 'flex', alignItems: 'center', gap: 8 } }}
                  >
                    <span style={{ color: BRAND_COLOR, fontSize: 18 }}>{e.icon}</span>
                    <Typography.Text ellipsis>{t(e.labelKey)}</Typography.Text>
                  </Card>
                </Col>
              ))}
            </Row>
          </Card>
        </Col>
      </Row>
    </>
  );
}
