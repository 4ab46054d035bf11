import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../app/PageHeader.js';
import { PriceTester } from './PriceListParts.js';

/** 价格测算: "what price would this customer get" for any product, channel, date and quantity. */
export function PriceListTesterPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('pricing.tester')} hint={t('pricing.testerHint')} />
      <Card>
        <PriceTester />
      </Card>
    </>
  );
}
