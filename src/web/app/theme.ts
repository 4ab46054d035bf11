import type { ThemeConfig } from 'antd';

/** The product's blue: calm, readable on white, distinct from the red and green of money and status. */
export const BRAND_COLOR = '#1f5fbf';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: BRAND_COLOR,
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerHeight: 56, bodyBg: '#f5f7fa', siderBg: '#fff' },
  },
};
