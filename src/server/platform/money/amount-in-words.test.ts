import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInChineseCapitals, amountInEnglishWords, formatFen } from './amount-in-words.js';

/** [amount in fen, 大写] — the examples of 《支付结算办法》附一 are marked PBoC. */
const CAPITALS: [number, string][] = [
  [0, '零元整'],
  [1, '壹分'],
  [5, '伍分'],
  [50, '伍角'],
  [55, '伍角伍分'],
  [100, '壹元整'],
  [1000, '壹拾元整'],
  [1030, '壹拾元叁角'],
  [1003, '壹拾元零叁分'],
  [1500, '壹拾伍元整'],
  [10000, '壹佰元整'],
  [32504, '叁佰贰拾伍元零肆分'], // PBoC
  [100000, '壹仟元整'],
  [100500, '壹仟零伍元整'],
  [101050, '壹仟零壹拾元伍角'],
  [140950, '壹仟肆佰零玖元伍角'], // PBoC
  [600714, '陆仟零柒元壹角肆分'], // PBoC
  [168032, '壹仟陆佰捌拾元叁角贰分'], // PBoC (the form without 零)
  [1000000, '壹万元整'],
  [1640902, '壹万陆仟肆佰零玖元零贰分'], // PBoC
  [10000000, '壹拾万元整'],
  [15000000, '壹拾伍万元整'],
  [10700053, '壹拾万零柒仟元伍角叁分'], // PBoC (the form with one 零)
  [10001000, '壹拾万零壹拾元整'],
  [1000000000, '壹仟万元整'],
  [1010000000, '壹仟零壹拾万元整'],
  [1001000000, '壹仟零壹万元整'],
  [10000000000, '壹亿元整'],
  [10000000100, '壹亿零壹元整'],
  [10100000000, '壹亿零壹佰万元整'],
  [11000000000, '壹亿壹仟万元整'],
  [100000000101, '壹拾亿零壹元零壹分'], // 1,000,000,001.01
  [123456789012, '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
  [100000000000000, '壹万亿元整'],
  [100010000000000, '壹万零壹亿元整'],
  [100000001000000, '壹万亿零壹万元整'],
  [Number.MAX_SAFE_INTEGER, '玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分'],
  [-10000, '负壹佰元整'],
  [-5, '负伍分'],
];

describe('amountInChineseCapitals (人民币大写)', () => {
  it.each(CAPITALS)('%d fen → %s', (fen, words) => {
    expect(amountInChineseCapitals(fen)).toBe(words);
    expect(amountInChineseCapitals(BigInt(fen))).toBe(words);
  });

  it('writes 人民币 first when asked', () => {
    expect(amountInChineseCapitals(100500, { currencyPrefix: true })).toBe('人民币壹仟零伍元整');
    expect(amountInChineseCapitals(-100, { currencyPrefix: true })).toBe('人民币负壹元整');
  });

  it('refuses what is not a whole number of fen', () => {
    expect(() => amountInChineseCapitals(1.5)).toThrow(RangeError);
    expect(() => amountInChineseCapitals(Number.NaN)).toThrow(RangeError);
    expect(() => amountInChineseCapitals(2 ** 60)).toThrow(RangeError);
  });

  it('never writes two 零 in a row, never ends on 零, and uses only the prescribed characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const words = amountInChineseCapitals(fen);
        expect(words).not.toMatch(/零零/);
        expect(words).not.toMatch(/零(元|万|亿|整)/);
        expect(words).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
        // 整 exactly when there are no jiao and fen; 分 is never followed by anything.
        expect(words.endsWith('整')).toBe(fen % 100 === 0);
        if (fen % 10 !== 0) expect(words.endsWith('分')).toBe(true);
      }),
    );
  });

  it('reads back to the same amount (a small parser of the output)', () => {
    const value = (words: string): bigint => {
      const digit = (c: string) => BigInt('零壹贰叁肆伍陆柒捌玖'.indexOf(c));
      const [whole = '', frac = ''] = words.replace('整', '').split('元');
      const fracPart = whole.includes('角') || whole.includes('分') ? whole : frac;
      const intPart = whole.includes('角') || whole.includes('分') ? '' : whole;
      let total = 0n;
      let section = 0n;
      let number = 0n;
      for (const c of intPart) {
        const place = { 拾: 10n, 佰: 100n, 仟: 1000n }[c as '拾'];
        if (place) {
          section += number * place;
          number = 0n;
        } else if (c === '万' || c === '亿') {
          const unit = c === '万' ? 10000n : 100000000n;
          if (c === '亿') {
            total = (total + section + number) * unit;
          } else {
            total += (section + number) * unit;
          }
          section = 0n;
          number = 0n;
        } else number = digit(c);
      }
      total += section + number;
      let cents = 0n;
      const jiao = /(.)角/.exec(fracPart);
      const fen = /(.)分/.exec(fracPart);
      if (jiao) cents += digit(jiao[1]!) * 10n;
      if (fen) cents += digit(fen[1]!);
      return total * 100n + cents;
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999_99 }), (fen) => {
        expect(value(amountInChineseCapitals(fen))).toBe(BigInt(fen));
      }),
    );
  });
});

describe('amountInEnglishWords', () => {
  it.each([
    [0, 'CNY zero and 00/100 only'],
    [5, 'CNY zero and 05/100 only'],
    [100, 'CNY one and 00/100 only'],
    [1_300, 'CNY thirteen and 00/100 only'],
    [2_150, 'CNY twenty-one and 50/100 only'],
    [100_500, 'CNY one thousand five and 00/100 only'],
    [10_000_000, 'CNY one hundred thousand and 00/100 only'],
    [100_000_000_101, 'CNY one billion one and 01/100 only'],
    [
      123_456_789_012,
      'CNY one billion two hundred thirty-four million five hundred sixty-seven thousand eight hundred ninety and 12/100 only',
    ],
    [-9_900, 'CNY minus ninety-nine and 00/100 only'],
  ] as [number, string][])('%d fen → %s', (fen, words) => {
    expect(amountInEnglishWords(fen)).toBe(words);
  });

  it('takes another currency code', () => {
    expect(amountInEnglishWords(100, { currency: 'USD' })).toBe('USD one and 00/100 only');
  });
});

describe('formatFen', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100_000, '1,000.00'],
    [123_456_789, '1,234,567.89'],
    [-100_050, '-1,000.50'],
  ] as [number, string][])('%d fen → %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('puts the symbol after the sign', () => {
    expect(formatFen(-100, { symbol: '¥' })).toBe('-¥1.00');
  });
});
