import { describe, expect, it } from 'vitest';
import { compactYuan, fullYuan } from './format.js';

describe('money on the dashboards', () => {
  it('is short in each language’s own units, with no trailing “.0”', () => {
    expect(compactYuan('3273000000', 'zh-CN')).toBe('¥3273万');
    expect(compactYuan('3415400000', 'zh-CN')).toBe('¥3415.4万');
    expect(compactYuan('12345678900', 'zh-CN')).toBe('¥1.2亿');
    expect(compactYuan(3_000_000_000, 'en')).toBe('CN¥30M');
    expect(compactYuan('1234500000', 'en')).toBe('CN¥12.3M');
    expect(compactYuan(null, 'zh-CN')).toBe('—');
  });

  it('is exact to the fen in full', () => {
    expect(fullYuan('1234567', 'zh-CN')).toBe('¥12,345.67');
    expect(fullYuan(100, 'en')).toBe('CN¥1.00');
  });
});
