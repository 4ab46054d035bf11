import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StagePlaybook } from '../../../contracts/playbooks.js';
import { auditLog } from '../../platform/audit/schema.js';
import { pdfBytes, uploadFile } from '../../platform/files/testing.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer } from '../customers/activities.fixtures.js';
import { playbookErrors } from './playbooks.service.js';

let t: TestApp;
let director: Client;
let rep01: Client;
let pipelineId: string;
let stages: { id: string; nameZh: string }[];
const db = () => t.database.db;
const audits = async (entity: string) =>
  (await db().select({ n: count() }).from(auditLog).where(eq(auditLog.entity, entity)))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  director = await as(t.app, 'director');
  rep01 = await as(t.app, 'rep01');
  const standard = (await rep01.get('/pipelines')).body.items[0];
  pipelineId = standard.id;
  stages = standard.stages;
});
afterAll(() => t.close());

const stageNamed = (nameZh: string) => stages.find((s) => s.nameZh === nameZh)!;

describe('default playbooks of the standard pipeline (seed 004: 标准操作指南、话术模板、文档模板)', () => {
  it('every stage has one; the six working stages come with guidance and talk tracks in both languages', async () => {
    const res = await rep01.get(`/pipelines/${pipelineId}/playbooks`);
    expect(res.statusCode).toBe(200);
    const items: StagePlaybook[] = res.body.items;
    expect(items.map((p) => p.stageNameZh)).toEqual([
      '拜访',
      '需求调研',
      '方案设计',
      '报价',
      '谈判',
      '签约',
      '未成交',
    ]);
    for (const p of items.slice(0, 6)) {
      expect(p.guidanceZh.length).toBeGreaterThan(20);
      expect(p.guidanceEn.length).toBeGreaterThan(20);
      expect(p.talkTracks.length).toBeGreaterThan(0);
    }
    expect(items[6]!.talkTracks).toEqual([]);
    const visit = items[0]!;
    expect(visit.talkTracks[0]).toMatchObject({ key: 'opening', titleZh: '开场白', titleEn: 'Opening' });
  });

  it("shows the stage's own exit checklist read-only, not a copy", async () => {
    const needs = (await rep01.get(`/pipeline-stages/${stageNamed('需求调研').id}/playbook`)).body;
    expect(needs.checklist.map((c: { key: string }) => c.key)).toEqual(['needs_confirmed', 'budget_known']);
    expect(needs.requiredFields).toEqual(['contactId']);
  });

  it('an unknown stage is 404', async () => {
    const res = await rep01.get('/pipeline-stages/0190a6c2-0000-7000-8000-000000000000/playbook');
    expect(res.statusCode).toBe(404);
  });
});

describe('a director writes a talk track for 需求调研; a rep uses it on an opportunity', () => {
  let playbook: StagePlaybook;
  let opportunityStageId: string;

  it('the director adds an objection-handling talk track and a recommended item', async () => {
    const stageId = stageNamed('需求调研').id;
    const before = (await director.get(`/pipeline-stages/${stageId}/playbook`)).body as StagePlaybook;
    const auditsBefore = await audits('playbook');
    const res = await director.put(`/pipeline-stages/${stageId}/playbook`, {
      talkTracks: [
        ...before.talkTracks,
        {
          key: 'no_time',
          titleZh: '应对"现在没空"',
          titleEn: 'Handling "no time now"',
          scriptZh: '完全理解您很忙。我只需要 15 分钟确认三个问题，您看周四上午还是下午方便？',
          scriptEn:
            'I understand you are busy. I need only 15 minutes for three questions: Thursday morning or afternoon?',
        },
      ],
      recommended: [
        { key: 'org_chart', textZh: '拿到客户组织架构图', textEn: "Get the customer's org chart" },
      ],
      version: before.version,
    });
    expect(res.statusCode).toBe(200);
    playbook = res.body;
    expect(playbook.talkTracks.map((x) => x.key)).toEqual(['needs_questions', 'confirm_needs', 'no_time']);
    expect(playbook.version).toBe(before.version + 1);
    expect(await audits('playbook')).toBe(auditsBefore + 1);
  });

  it('a stale version is 409; duplicate talk-track keys are 400; nothing changes', async () => {
    const stageId = stageNamed('需求调研').id;
    const stale = await director.put(`/pipeline-stages/${stageId}/playbook`, {
      guidanceZh: '覆盖',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const dup = await director.put(
      `/pipeline-stages/${stageId}/playbook`,
      { talkTracks: [playbook.talkTracks[0], playbook.talkTracks[0]], version: playbook.version },
      { 'accept-language': 'en' },
    );
    expect(dup.statusCode).toBe(400);
    expect(dup.body.errors[0].path).toBe('talkTracks.1.key');
    const after = (await rep01.get(`/pipeline-stages/${stageId}/playbook`)).body;
    expect(after.version).toBe(playbook.version);
    expect(after.guidanceZh).toBe(playbook.guidanceZh);
  });

  it('a rep cannot edit a playbook (403)', async () => {
    const res = await rep01.put(`/pipeline-stages/${stageNamed('需求调研').id}/playbook`, {
      guidanceZh: '我来改',
      version: playbook.version,
    });
    expect(res.statusCode).toBe(403);
  });

  it("the rep's opportunity at 需求调研 shows the new talk track; the next stage's playbook does not", async () => {
    const customerId = (await makeCustomer(db(), { name: '苏州恒远精密机械有限公司', owner: 'rep01' })).id;
    const o = (await rep01.post('/opportunities', { name: '恒远 检测线改造', customerId })).body;
    const moved = await rep01.post(`/opportunities/${o.id}/move`, {
      stageId: stageNamed('需求调研').id,
      version: o.version,
    });
    expect(moved.statusCode).toBe(200);
    opportunityStageId = moved.body.stageId;
    const shown = (await rep01.get(`/pipeline-stages/${opportunityStageId}/playbook`)).body as StagePlaybook;
    expect(shown.talkTracks.map((x) => x.titleZh)).toContain('应对"现在没空"');
    expect(shown.recommended).toEqual([
      { key: 'org_chart', textZh: '拿到客户组织架构图', textEn: "Get the customer's org chart" },
    ]);
    const next = (await rep01.get(`/pipeline-stages/${stageNamed('方案设计').id}/playbook`))
      .body as StagePlaybook;
    expect(next.talkTracks.map((x) => x.key)).not.toContain('no_time');
  });

  it('a template the director attaches is downloadable by the rep; the rep cannot upload one', async () => {
    const up = await uploadFile(
      director,
      { entity: 'playbook', entityId: playbook.id },
      '需求调研问卷模板.pdf',
      pdfBytes('needs questionnaire'),
      'application/pdf',
    );
    expect(up.statusCode).toBe(201);
    const list = await rep01.get(`/attachments?entity=playbook&entityId=${playbook.id}`);
    expect(list.statusCode).toBe(200);
    expect(list.body.items.map((a: { fileName: string }) => a.fileName)).toEqual(['需求调研问卷模板.pdf']);
    const download = await rep01.get(`/attachments/${list.body.items[0].id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const repUpload = await uploadFile(
      rep01,
      { entity: 'playbook', entityId: playbook.id },
      '我的模板.pdf',
      pdfBytes('mine'),
      'application/pdf',
    );
    expect(repUpload.statusCode).toBe(403);
  });
});

describe('other pipelines', () => {
  it('stages of a new pipeline get empty playbooks to fill in', async () => {
    const res = await director.post('/pipelines', {
      code: 'projects',
      nameZh: '项目销售',
      nameEn: 'Project sales',
      stages: [
        { nameZh: '拜访', nameEn: 'Visit', probability: 10, kind: 'open' },
        { nameZh: '赢单', nameEn: 'Won', probability: 100, kind: 'won' },
        { nameZh: '输单', nameEn: 'Lost', probability: 0, kind: 'lost' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const list = (await director.get(`/pipelines/${res.body.id}/playbooks`)).body.items as StagePlaybook[];
    expect(list).toHaveLength(3);
    expect(list.every((p) => p.guidanceZh === '' && p.talkTracks.length === 0)).toBe(true);
  });
});

describe('playbook rules', () => {
  it('reports each repeated key once per repetition', () => {
    const item = { key: 'a', textZh: '甲', textEn: 'A' };
    expect(playbookErrors({ recommended: [item, { ...item, key: 'b' }, item] })).toEqual([
      { path: 'recommended.2.key', message: 'unitDuplicate' },
    ]);
    expect(playbookErrors({})).toEqual([]);
  });
});
