import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { visibleMenu } from '../../app/menu.js';
import { useSession } from '../../app/session.js';

/** Home page: who I am and where I can go. Business modules add their widgets here. */
export function WorkbenchPage() {
  const { t, i18n } = useTranslation();
  const { me, can } = useSession();
  const navigate = useNavigate();
  if (!me) return null;
  const shortcuts = visibleMenu(can)
    .flatMap((g) => g.entries)
    .filter((e) => e.key !== 'workbench');
  return (
    <>
      <Typography.Title level={3} data-testid="page-title">
        {t('workbench.welcome', { name: me.user.name })}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('workbench.me')}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('user.orgUnit')}>{me.user.orgUnitName}</Descriptions.Item>
              <Descriptions.Item label={t('user.position')}>{me.user.position || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('user.roles')}>
                {me.roles.map((r) => (
                  <Tag key={r.key}>{i18n.language === 'zh-CN' ? r.nameZh : r.nameEn}</Tag>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label={t('settings.company')}>{me.company.name}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('workbench.shortcuts')}>
            {shortcuts.length === 0 && (
              <Typography.Text type="secondary">{t('workbench.noShortcuts')}</Typography.Text>
            )}
            <Row gutter={[8, 8]}>
              {shortcuts.map((e) => (
                <Col key={e.key} xs={12} sm={8}>
                  <Card size="small" hoverable onClick={() => navigate(e.path)}>
                    {e.icon} {t(e.labelKey)}
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
