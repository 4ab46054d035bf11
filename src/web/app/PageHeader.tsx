import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title, an optional line explaining it, and the page's main actions on the right. */
export function PageHeader({
  title,
  hint,
  extra,
}: {
  title: ReactNode;
  hint?: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div style={{ marginBottom: 16 }}>
      <Flex justify="space-between" align="center" gap={12} wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {extra}
      </Flex>
      {hint && (
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          {hint}
        </Typography.Paragraph>
      )}
    </div>
  );
}
