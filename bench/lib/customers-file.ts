import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { creditCodeCheckChar } from '../../src/server/modules/customers/credit-code.js';
import { pinyinOf } from '../../src/server/modules/customers/dedupe.js';
import { listDivisions } from '../../src/server/modules/org/divisions.js';

export interface CustomersFileRow {
  name: string;
  kind: string;
  creditCode: string;
  industry: string;
  size: string;
  province: string;
  city: string;
  address: string;
  phone: string;
  grade: string;
  lifecycle: string;
  source: string;
  owner: string;
  /** The division codes behind the names (not in the file; the raw baseline writes them). */
  provinceCode: string;
  cityCode: string;
}

/** The headers a Chinese sales assistant would type; the importer maps them by name. */
const HEADERS: [Exclude<keyof CustomersFileRow, 'provinceCode' | 'cityCode'>, string][] = [
  ['name', '客户名称'],
  ['kind', '客户类型'],
  ['creditCode', '统一社会信用代码'],
  ['industry', '行业'],
  ['size', '规模'],
  ['province', '省份'],
  ['city', '城市'],
  ['address', '地址'],
  ['phone', '电话'],
  ['grade', '客户等级'],
  ['lifecycle', '生命周期'],
  ['source', '客户来源'],
  ['owner', '负责人'],
];

// Brand syllables with distinct pinyin, and trades that the customer entries' generator
// (customers-data.ts) does not use: no imported row is a probable duplicate of another row or
// of those customers, so every row is created and the figure is the cost of a create.
const BRAND = [
  ...'宏泰盛恒源瑞丰嘉禾远安康德隆昌顺博创金海天长永中明正诚佳美联力宇航星锦程启润广汇志宝亿同益众铭峰',
];
const TRADES = [
  '商贸',
  '实业',
  '汽车服务',
  '机械设备',
  '供应链管理',
  '工程',
  '食品',
  '新能源',
  '租赁',
  '环保',
];
const INDUSTRIES = ['汽车零售', '物流运输', '制造业', '建筑工程', '批发零售', '信息技术'];
const SIZES = ['1-49', '50-99', '100-499', '500-999', '1000+'];
const GRADES = ['A', 'B', 'B', 'C', 'C', 'C'];
const LIFECYCLES = ['潜在', '活跃', '活跃', '休眠'];
const SOURCES = ['展会', '转介绍', '官网', '来电'];

/** Organisation code (GB 11714) from a number: eight digits and its check character. */
function organisationCode(n: number): string {
  const body = String(10_000_000 + n).slice(-8);
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  const check = 11 - (sum % 11);
  return body + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/**
 * `count` companies as a sales assistant's customer list would hold them, deterministic (no
 * randomness: row i is always the same), each owned by one of the given reps in a city of the
 * rep's territory province, with a valid credit code and a unique name, pinyin and phone.
 */
export function customersFileRows(
  count: number,
  reps: { username: string; provinceCode: string }[],
): CustomersFileRow[] {
  const provinces = new Map(listDivisions().map((p) => [p.code, p.name]));
  const usedPinyin = new Set<string>();
  const rows: CustomersFileRow[] = [];
  for (let combo = 0; rows.length < count; combo++) {
    const i = rows.length;
    const rep = reps[i % reps.length]!;
    const cities = listDivisions(rep.provinceCode);
    // Prefecture-level cities only (a municipality's districts name the municipality itself).
    const city = cities[combo % cities.length]!;
    const municipality = city.code.length === 6;
    const place = (municipality ? provinces.get(rep.provinceCode)! : city.name).replace(
      /(市|地区|盟|自治州)$/,
      '',
    );
    const a = BRAND[combo % BRAND.length]!;
    const b = BRAND[Math.floor(combo / BRAND.length) % BRAND.length]!;
    const trade = TRADES[Math.floor(combo / BRAND.length ** 2) % TRADES.length]!;
    if (a === b) continue;
    const name = `${place}${a}${b}${trade}有限公司`;
    const spoken = pinyinOf(name).full;
    if (usedPinyin.has(spoken)) continue;
    usedPinyin.add(spoken);
    const first17 = `91${city.code.length === 6 ? city.code : `${city.code}00`}${organisationCode(i)}`;
    rows.push({
      name,
      kind: '企业',
      creditCode: first17 + creditCodeCheckChar(first17),
      industry: INDUSTRIES[i % INDUSTRIES.length]!,
      size: SIZES[i % SIZES.length]!,
      province: provinces.get(rep.provinceCode)!,
      city: city.name,
      address: `${city.name}人民路${(i % 999) + 1}号`,
      phone: `189${String(i).padStart(8, '0')}`,
      grade: GRADES[i % GRADES.length]!,
      lifecycle: LIFECYCLES[i % LIFECYCLES.length]!,
      source: SOURCES[i % SOURCES.length]!,
      owner: rep.username,
      provinceCode: rep.provinceCode,
      cityCode: city.code,
    });
  }
  return rows;
}

/** An .xlsx file (first sheet: header row, then the rows), written with ExcelJS's streaming writer. */
export async function customersWorkbook(rows: CustomersFileRow[]): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false });
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(HEADERS.map(([, header]) => header)).commit();
  for (const row of rows) sheet.addRow(HEADERS.map(([key]) => row[key])).commit();
  sheet.commit();
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
