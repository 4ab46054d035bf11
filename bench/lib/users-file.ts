import { PassThrough } from 'node:stream';
import { base, en, Faker, zh_CN } from '@faker-js/faker';
import ExcelJS from 'exceljs';

export interface UsersFileRow {
  username: string;
  name: string;
  phone: string;
  email: string;
  position: string;
  orgUnit: string;
  manager: string;
  roles: string;
}

/** The headers a Chinese administrator would type; the importer maps them by name. */
const HEADERS: [keyof UsersFileRow, string][] = [
  ['username', '用户名'],
  ['name', '姓名'],
  ['phone', '手机号'],
  ['email', '邮箱'],
  ['position', '职位'],
  ['orgUnit', '所属部门'],
  ['manager', '直属上级'],
  ['roles', '角色'],
];

/**
 * `count` new sales reps spread over the given teams, deterministic (seeded), with usernames,
 * phones and emails that cannot clash with the demo company's.
 */
export function usersFileRows(
  count: number,
  teams: { name: string; manager: string }[],
  seed = 2026,
): UsersFileRow[] {
  const faker = new Faker({ locale: [zh_CN, en, base], seed });
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(6, '0');
    const team = teams[i % teams.length]!;
    return {
      username: `bench${n}`,
      name: faker.person.fullName(),
      phone: `199${String(i + 1).padStart(8, '0')}`,
      email: `bench${n}@bench.example.com`,
      position: '销售代表',
      orgUnit: team.name,
      manager: team.manager,
      roles: '销售代表',
    };
  });
}

/** An .xlsx file (first sheet: header row, then the rows), written with ExcelJS's streaming writer. */
export async function usersWorkbook(rows: UsersFileRow[]): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false });
  const sheet = workbook.addWorksheet('用户');
  sheet.addRow(HEADERS.map(([, header]) => header)).commit();
  for (const row of rows) sheet.addRow(HEADERS.map(([key]) => row[key])).commit();
  sheet.commit();
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
