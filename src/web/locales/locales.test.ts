import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Every module's resources, registered as the app starts.
import '../../server/app.js';
import { allResources } from '../../server/platform/access/catalog.js';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`)),
    ),
  );
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const zh = flatten(zhCN);
const eng = flatten(en);

describe('locale files', () => {
  it('have the same keys', () => {
    expect(Object.keys(eng).sort()).toEqual(Object.keys(zh).sort());
  });

  it('have no empty strings and the same placeholders per key', () => {
    for (const [key, value] of Object.entries(zh)) {
      expect(value.trim(), key).not.toBe('');
      expect(eng[key]?.trim(), key).not.toBe('');
      expect(placeholders(eng[key] ?? ''), key).toEqual(placeholders(value));
    }
  });

  it('name every resource and permission action the roles page lists', () => {
    const missing = allResources().flatMap((r) => [
      ...(zh[`resources.${r.key}`] && eng[`resources.${r.key}`] ? [] : [`resources.${r.key}`]),
      ...r.actions
        .filter((a) => !zh[`permissionActions.${a}`] || !eng[`permissionActions.${a}`])
        .map((a) => `permissionActions.${a}`),
    ]);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('cover every static key the web app uses', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(path.join(dir, e.name))
          : /\.tsx?$/.test(e.name)
            ? [path.join(dir, e.name)]
            : [],
      );
    const used = new Set<string>();
    for (const file of files(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/labelKey: '([\w.]+)'/g)) used.add(m[1]!);
    }
    const missing = [...used].filter((k) => !(k in zh));
    expect(missing).toEqual([]);
  });
});
