import { describe, expect, it } from 'vitest';
import { findDivision } from './divisions.js';

describe('finding a division as written in a sheet', () => {
  it('takes a known code, the full name, the name without 省/市/自治区, or its start', () => {
    expect(findDivision('32')).toBe('32');
    expect(findDivision('江苏省')).toBe('32');
    expect(findDivision('江苏')).toBe('32');
    expect(findDivision('广西')).toBe('45');
    expect(findDivision('南京', '32')).toBe('3201');
    expect(findDivision('南京市', '32')).toBe('3201');
  });

  it('finds nothing for an unknown code, a city of another province or a made-up name', () => {
    expect(findDivision('99')).toBeUndefined();
    expect(findDivision('杭州', '32')).toBeUndefined();
    expect(findDivision('火星')).toBeUndefined();
  });
});
