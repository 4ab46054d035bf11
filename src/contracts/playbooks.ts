import { z } from 'zod';
import { id, isoDateTime, requiredText, shortText, version } from './common.js';
import { checklistItem, stageKind, stageRequiredField } from './opportunities.js';

// Playbooks (销售指南): per pipeline stage, the standard way of working (操作指南), talk tracks
// (话术) and document templates (文档模板, attachments of the playbook). The stage's exit checklist
// stays on the stage; a playbook only adds optional "recommended" items.

const key = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_-]+$/, { message: 'format' });

export const talkTrack = z
  .object({
    key,
    titleZh: requiredText(100),
    titleEn: requiredText(100),
    scriptZh: requiredText(4000),
    scriptEn: requiredText(4000),
  })
  .strict();

export const recommendedItem = z
  .object({ key, textZh: requiredText(200), textEn: requiredText(200) })
  .strict();

export const stagePlaybook = z.object({
  /** The playbook's own id: its document templates are attachments of entity 'playbook'. */
  id,
  stageId: id,
  pipelineId: id,
  stageNameZh: z.string(),
  stageNameEn: z.string(),
  stageKind,
  stagePosition: z.number().int(),
  guidanceZh: z.string(),
  guidanceEn: z.string(),
  talkTracks: z.array(talkTrack),
  recommended: z.array(recommendedItem),
  /** The stage's exit checklist and required fields, read-only here (edited on the pipeline). */
  checklist: z.array(checklistItem),
  requiredFields: z.array(stageRequiredField),
  updatedAt: isoDateTime,
  version,
});

export const stagePlaybookUpdate = z
  .object({
    guidanceZh: shortText(8000).optional(),
    guidanceEn: shortText(8000).optional(),
    talkTracks: z.array(talkTrack).max(30).optional(),
    recommended: z.array(recommendedItem).max(30).optional(),
    version,
  })
  .strict();

export const pipelinePlaybooks = z.object({ items: z.array(stagePlaybook) });
export const stageIdParams = z.object({ stageId: id }).strict();

export type TalkTrack = z.infer<typeof talkTrack>;
export type RecommendedItem = z.infer<typeof recommendedItem>;
export type StagePlaybook = z.infer<typeof stagePlaybook>;
export type StagePlaybookUpdate = z.infer<typeof stagePlaybookUpdate>;
