import { and, eq, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { pinyin } from 'pinyin-pro';
import type { Db } from '../../db/client.js';
import { scopeFilter } from '../../platform/access/scope.js';
import type { Ctx } from '../../platform/context.js';
import { users } from '../org/schema.js';
import { normaliseCreditCode } from './credit-code.js';
import { contacts, customerCollaborators, customers } from './schema.js';

// Company-name endings that do not tell two companies apart: "上海申华贸易有限公司" and
// "上海申华贸易公司" are the same customer typed twice. Longest first, stripped repeatedly.
const SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '有限公司',
  '股份公司',
  '分公司',
  '总公司',
  '集团',
  '公司',
];
// The same for Latin names, as whole words at the end: "Acme Co., Ltd." is "acme".
const LATIN_SUFFIX = /[\s,.&]+(co|corp|corporation|company|inc|incorporated|ltd|limited|llc|group)\.?$/;
// "(中国)" / "（中国）" inside a name, as in 西门子(中国)有限公司.
const CHINA_MARK = /[（(]\s*(中国|china)\s*[）)]/gi;
// Everything that is neither a letter nor a digit in any script: spaces, ASCII and CJK punctuation.
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** The name's dedupe key: lower-cased, without spaces, punctuation, "(中国)" and company suffixes. */
export function nameKey(name: string): string {
  let latin = name.normalize('NFKC').toLowerCase().replace(CHINA_MARK, '').trim();
  for (
    let next = latin.replace(LATIN_SUFFIX, '');
    next !== latin && next;
    next = latin.replace(LATIN_SUFFIX, '')
  ) {
    latin = next;
  }
  const bare = latin.replace(NOT_WORD, '');
  let key = bare;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIXES) {
      if (key.length > suffix.length && key.endsWith(suffix)) {
        key = key.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return key || bare;
}

/**
 * Pinyin of a name's key, for search and dedupe: full ("shanghaishenhua") and initials
 * ("shsh"), without tones or spaces, lower-case. Latin letters and digits are kept as typed.
 */
export function pinyinOf(name: string): { full: string; initials: string } {
  const key = nameKey(name);
  if (!key) return { full: '', initials: '' };
  const options = { toneType: 'none', type: 'array', nonZh: 'consecutive' } as const;
  const full = pinyin(key, options).join('').toLowerCase();
  const initials = pinyin(key, { ...options, pattern: 'first' })
    .join('')
    .toLowerCase();
  return { full, initials };
}

/** Digits only, so "021-6888 1234" and "02168881234" are the same number. */
export const phoneKey = (phone: string) => phone.replace(/\D+/g, '');

/**
 * The ways the contract lets one number be written (with or without the dash after the area
 * code, 400 numbers grouped or not), so a lookup is an indexed `phone in (…)`, not a scan.
 */
export function phoneVariants(digits: string): string[] {
  const out = new Set([digits]);
  if (digits.startsWith('0')) {
    out.add(`${digits.slice(0, 3)}-${digits.slice(3)}`);
    out.add(`${digits.slice(0, 4)}-${digits.slice(4)}`);
  }
  if (/^[48]00\d{7}$/.test(digits)) {
    const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
    for (const v of [`${a}-${b}${c}`, `${a}${b}-${c}`, `${a}-${b}-${c}`]) out.add(v);
  }
  return [...out];
}

export type DuplicateReason = 'credit_code' | 'name' | 'pinyin' | 'phone';

export interface DuplicateCandidate {
  id: string;
  name: string;
  ownerName: string | null;
  reasons: DuplicateReason[];
  /** Whether the actor may open it; out-of-scope candidates show only id, name and owner. */
  visible: boolean;
}

export interface DuplicateProbe {
  name?: string | null | undefined;
  phone?: string | null | undefined;
  creditCode?: string | null | undefined;
  excludeId?: string | undefined;
}

const MAX_CANDIDATES = 10;

/**
 * Live customers that are probably the same as the one described: the same credit code, name
 * key, name pinyin (same sound, other characters) or phone (the customer's own or a contact's
 * mobile). Searched across all customers regardless of the actor's scope, because a rep must
 * learn that a customer exists even when it belongs to someone else.
 */
export async function findDuplicateCustomers(
  db: Db,
  ctx: Ctx,
  probe: DuplicateProbe,
): Promise<DuplicateCandidate[]> {
  const code = probe.creditCode ? normaliseCreditCode(probe.creditCode) : '';
  const key = probe.name ? nameKey(probe.name) : '';
  const spoken = probe.name ? pinyinOf(probe.name).full : '';
  const phone = probe.phone ? phoneKey(probe.phone) : '';
  const matches: SQL[] = [];
  if (code) matches.push(eq(customers.creditCode, code));
  if (key) matches.push(eq(customers.nameKey, key));
  // Pinyin alone is weak for very short names ("李" = "黎"), so it needs at least two syllables' worth.
  if (spoken.length >= 4) matches.push(eq(customers.namePinyin, spoken));
  if (phone.length >= 7) {
    matches.push(inArray(customers.phone, phoneVariants(phone)));
    // Looked up first, so the main query stays an OR of index lookups (a sub-select in the OR
    // turned it into a scan of every customer).
    const viaContacts = await db
      .selectDistinct({ id: contacts.customerId })
      .from(contacts)
      .where(and(eq(contacts.mobile, phone), isNull(contacts.archivedAt)));
    if (viaContacts.length)
      matches.push(
        inArray(
          customers.id,
          viaContacts.map((c) => c.id),
        ),
      );
  }
  if (!matches.length) return [];
  const visible = scopeFilter(ctx.actor, 'customers', {
    ownerId: customers.ownerId,
    orgUnitId: customers.orgUnitId,
    collaborator: (userId) =>
      sql`exists (select 1 from ${customerCollaborators} where ${customerCollaborators.customerId} = ${customers.id} and ${customerCollaborators.userId} = ${userId})`,
  });
  const rows = await db
    .select({
      id: customers.id,
      name: customers.name,
      creditCode: customers.creditCode,
      nameKey: customers.nameKey,
      namePinyin: customers.namePinyin,
      phone: customers.phone,
      ownerName: users.name,
      visible: visible ? sql<boolean>`(${visible})` : sql<boolean>`true`,
    })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(
      and(
        isNull(customers.mergedIntoId),
        probe.excludeId ? sql`${customers.id} <> ${probe.excludeId}` : undefined,
        or(...matches),
      ),
    )
    .orderBy(customers.id)
    .limit(50);
  const candidates = rows.map((r) => {
    const reasons: DuplicateReason[] = [];
    if (code && r.creditCode === code) reasons.push('credit_code');
    if (key && r.nameKey === key) reasons.push('name');
    else if (spoken.length >= 4 && r.namePinyin === spoken) reasons.push('pinyin');
    // Matched by phone when nothing else explains the match (the customer's phone or a contact's mobile).
    if (phone.length >= 7 && (phoneKey(r.phone ?? '') === phone || !reasons.length)) reasons.push('phone');
    return { id: r.id, name: r.name, ownerName: r.ownerName, reasons, visible: Boolean(r.visible) };
  });
  // The strongest evidence first: a credit code is the same company; a name beats a sound-alike.
  const weight = (c: DuplicateCandidate) =>
    (c.reasons.includes('credit_code') ? 8 : 0) +
    (c.reasons.includes('name') ? 4 : 0) +
    (c.reasons.includes('phone') ? 2 : 0) +
    (c.reasons.includes('pinyin') ? 1 : 0);
  return candidates.sort((a, b) => weight(b) - weight(a)).slice(0, MAX_CANDIDATES);
}
