import { BellOutlined, DownOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Dropdown, Grid, Layout, Menu, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { NotificationBell } from '../modules/platform/NotificationBell.js';
import { PasswordForm } from '../modules/platform/PasswordForm.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { visibleMenu } from './menu.js';
import { useSession } from './session.js';
import { BRAND_COLOR } from './theme.js';

const { Header, Sider, Content } = Layout;

/** The product mark: a square with 销, and the product name beside it unless the menu is folded. */
function Brand({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  return (
    <div
      style={{ display: 'flex', alignItems: 'center', gap: 10, padding: compact ? '16px 24px' : '16px 20px' }}
    >
      <span
        aria-hidden
        style={{
          flex: 'none',
          width: 30,
          height: 30,
          borderRadius: 6,
          background: BRAND_COLOR,
          color: '#fff',
          display: 'inline-flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontWeight: 700,
        }}
      >
        {t('app.mark')}
      </span>
      {!compact && (
        <span style={{ fontWeight: 600, fontSize: 17, whiteSpace: 'nowrap' }}>{t('app.name')}</span>
      )}
    </div>
  );
}

/** The signed-in layout: side menu by module (a drawer on phones), header with language and user. */
export function Shell() {
  const { t } = useTranslation();
  const { me, can, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);

  const groups = visibleMenu(can);
  const entries = groups.flatMap((g) => g.entries);
  const selected = [...entries]
    .sort((a, b) => b.path.length - a.path.length)
    .find((e) => (e.path === '/' ? location.pathname === '/' : location.pathname.startsWith(e.path)));
  const items = groups.map((g) => ({
    type: 'group' as const,
    key: g.key,
    label: t(g.labelKey),
    children: g.entries.map((e) => ({
      key: e.key,
      icon: e.icon,
      label: <span data-testid={`menu-${e.key}`}>{t(e.labelKey)}</span>,
    })),
  }));
  const menuEl = (
    <Menu
      mode="inline"
      style={{ borderInlineEnd: 'none' }}
      items={items}
      selectedKeys={selected ? [selected.key] : []}
      onClick={({ key }) => {
        const entry = entries.find((e) => e.key === key);
        if (entry) navigate(entry.path);
        setDrawerOpen(false);
      }}
    />
  );

  const brand = <Brand compact={collapsed && !mobile} />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Sider
          theme="light"
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          width={220}
          style={{
            position: 'sticky',
            top: 0,
            height: '100vh',
            overflow: 'auto',
            borderRight: '1px solid #f0f0f0',
          }}
        >
          {brand}
          {menuEl}
        </Sider>
      )}
      {mobile && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          styles={{ body: { padding: 0 } }}
          title={<Brand compact={false} />}
        >
          {menuEl}
        </Drawer>
      )}
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: mobile ? '0 8px' : '0 16px 0 24px',
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            position: 'sticky',
            top: 0,
            zIndex: 10,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          {mobile && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('common.openMenu')}
              data-testid="menu-toggle"
              onClick={() => setDrawerOpen(true)}
            />
          )}
          <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
            {me?.company.name}
          </Typography.Text>
          <LanguageSwitch />
          <NotificationBell />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'me',
                  icon: <UserOutlined />,
                  label: <span data-testid="menu-profile">{t('menu.profile')}</span>,
                },
                {
                  key: 'notification-preferences',
                  icon: <BellOutlined />,
                  label: (
                    <span data-testid="menu-notification-preferences">{t('notifications.preferences')}</span>
                  ),
                },
                {
                  key: 'logout',
                  icon: <LogoutOutlined />,
                  label: <span data-testid="logout">{t('auth.logout')}</span>,
                },
              ],
              onClick: async ({ key }) => {
                if (key === 'me') navigate('/me');
                if (key === 'notification-preferences') navigate('/me/notifications');
                if (key === 'logout') {
                  await signOut();
                  navigate('/login');
                }
              },
            }}
          >
            <Button type="text" data-testid="user-menu">
              <Space>
                <UserOutlined />
                {!mobile && me?.user.name}
                <DownOutlined />
              </Space>
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ padding: mobile ? 12 : 24 }}>
          <Outlet />
        </Content>
        {/* After an administrator's reset the user must choose their own password before going on. */}
        <Modal
          open={!!me?.mustChangePassword}
          closable={false}
          footer={null}
          title={t('profile.changePassword')}
        >
          <Alert type="warning" showIcon title={t('profile.mustChange')} style={{ marginBottom: 16 }} />
          <PasswordForm />
        </Modal>
      </Layout>
    </Layout>
  );
}
