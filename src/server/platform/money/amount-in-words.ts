/**
 * Amounts in words, as printed on contracts, quotes, invoices and receipts.
 *
 * `amountInChineseCapitals` follows 中国人民银行《支付结算办法》附一
 * 《正确填写票据和结算凭证的基本规定》; the rules and the choices this code makes where the rules
 * allow two forms are in docs/pdf.md. Money is whole fen (分) throughout: no floats.
 */

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
/** Position inside a group of four digits, from the right. */
const PLACES = ['', '拾', '佰', '仟'] as const;

function splitFen(fen: number | bigint): { negative: boolean; yuan: bigint; jiao: number; fenDigit: number } {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen))
    throw new RangeError(`amount must be a whole number of fen, got ${fen}`);
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return {
    negative,
    yuan: abs / 100n,
    jiao: Number((abs / 10n) % 10n),
    fenDigit: Number(abs % 10n),
  };
}

/**
 * The whole-yuan part in capitals, without 元: 1005 → 壹仟零伍, 100000 → 壹拾万,
 * 100000001 → 壹亿零壹. Groups of four digits take 万 and 亿; a group above 亿 takes 万 (壹万零壹亿)
 * or, when the 亿 group is empty, 万亿 (壹万亿). A run of zeros between two written digits, within
 * a group or across groups, is one 零; zeros at the end are not written.
 */
function integerInCapitals(n: bigint): string {
  if (n === 0n) return DIGITS[0];
  const groups: number[] = [];
  for (let rest = n; rest > 0n; rest /= 10000n) groups.push(Number(rest % 10000n));
  let out = '';
  let pendingZero = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g]!;
    if (group === 0) {
      if (out) pendingZero = true;
      continue;
    }
    for (let p = 3; p >= 0; p--) {
      const digit = Math.floor(group / 10 ** p) % 10;
      if (digit === 0) {
        if (out) pendingZero = true;
        continue;
      }
      if (pendingZero) out += DIGITS[0];
      pendingZero = false;
      out += DIGITS[digit] + PLACES[p]!;
    }
    out += groupUnit(g, groups);
  }
  return out;
}

function groupUnit(g: number, groups: number[]): string {
  if (g === 0) return '';
  if (g % 2 === 1) {
    // 万 of 万, 万 of 万亿 …: a 万 directly above an empty 亿 group carries the 亿 with it.
    const below = groups[g - 1] ?? 0;
    return g >= 3 && below === 0 ? `万${'亿'.repeat((g - 1) / 2)}` : '万';
  }
  return '亿'.repeat(g / 2);
}

export interface ChineseCapitalsOptions {
  /** Start with 人民币 (the rules require it where the form does not print it). Default false. */
  currencyPrefix?: boolean;
}

/**
 * 人民币大写 of an amount in fen: 100500 → 壹仟零伍元整, 101050 → 壹仟零壹拾元伍角,
 * 5 → 伍分, 1640902 → 壹万陆仟肆佰零玖元零贰分, 0 → 零元整, -10000 → 负壹佰元整.
 */
export function amountInChineseCapitals(fen: number | bigint, options: ChineseCapitalsOptions = {}): string {
  const { negative, yuan, jiao, fenDigit } = splitFen(fen);
  let words: string;
  if (jiao === 0 && fenDigit === 0) {
    words = `${integerInCapitals(yuan)}元整`;
  } else {
    words = yuan > 0n ? `${integerInCapitals(yuan)}元` : '';
    if (jiao > 0) words += `${DIGITS[jiao]}角`;
    // 角位 is 0 but 分 is not: 元 is followed by 零 (¥16,409.02 → …玖元零贰分).
    else if (yuan > 0n) words += DIGITS[0];
    if (fenDigit > 0) words += `${DIGITS[fenDigit]}分`;
  }
  return `${options.currencyPrefix ? '人民币' : ''}${negative ? '负' : ''}${words}`;
}

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'] as const;

function underThousand(n: number): string {
  const parts: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds) parts.push(`${ONES[hundreds]} hundred`);
  if (rest >= 20) parts.push(TENS[Math.floor(rest / 10)]! + (rest % 10 ? `-${ONES[rest % 10]}` : ''));
  else if (rest > 0) parts.push(ONES[rest]!);
  return parts.join(' ');
}

function integerInWords(n: bigint): string {
  if (n === 0n) return 'zero';
  const parts: string[] = [];
  let scale = 0;
  for (let rest = n; rest > 0n; rest /= 1000n, scale++) {
    const chunk = Number(rest % 1000n);
    if (chunk) parts.unshift(underThousand(chunk) + (scale ? ` ${SCALES[scale]}` : ''));
  }
  return parts.join(' ');
}

export interface EnglishWordsOptions {
  /** ISO currency code written first. Default CNY. */
  currency?: string;
}

/**
 * The amount in English words, cheque style (short scale, no "and" inside the whole part,
 * cents as a fraction, closed with "only"): 10000000 → "CNY one hundred thousand and 00/100
 * only", 100550 → "CNY one thousand five and 50/100 only", -100 → "CNY minus one and 00/100 only".
 */
export function amountInEnglishWords(fen: number | bigint, options: EnglishWordsOptions = {}): string {
  const { negative, yuan, jiao, fenDigit } = splitFen(fen);
  const cents = `${jiao}${fenDigit}`;
  return `${options.currency ?? 'CNY'} ${negative ? 'minus ' : ''}${integerInWords(yuan)} and ${cents}/100 only`;
}

/** Fen as yuan with thousands separators and two decimals: 123456789 → "1,234,567.89". */
export function formatFen(fen: number | bigint, options: { symbol?: string } = {}): string {
  const { negative, yuan, jiao, fenDigit } = splitFen(fen);
  const whole = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${options.symbol ?? ''}${whole}.${jiao}${fenDigit}`;
}

/** ¥1,234,567.89 from fen, exact: money as the server writes it in messages and documents. */
export const formatYuan = (fen: number | bigint): string => formatFen(fen, { symbol: '¥' });
