import { jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, rowColumns } from '../../db/columns.js';
import { pipelineStages } from './pipelines.schema.js';

export interface TalkTrack {
  /** Stable within the playbook. */
  key: string;
  titleZh: string;
  titleEn: string;
  scriptZh: string;
  scriptEn: string;
}

export interface RecommendedItem {
  key: string;
  textZh: string;
  textEn: string;
}

/**
 * The playbook (销售指南) of one pipeline stage: how to work the stage, what to say, and (as
 * attachments of entity 'playbook') the document templates. It goes with its stage.
 */
export const stagePlaybooks = pgTable(
  'stage_playbooks',
  {
    id: idColumn(),
    stageId: uuid('stage_id')
      .notNull()
      .references(() => pipelineStages.id, { onDelete: 'cascade' }),
    guidanceZh: text('guidance_zh').notNull().default(''),
    guidanceEn: text('guidance_en').notNull().default(''),
    talkTracks: jsonb('talk_tracks').$type<TalkTrack[]>().notNull().default([]),
    recommended: jsonb('recommended').$type<RecommendedItem[]>().notNull().default([]),
    ...rowColumns(),
  },
  (t) => [uniqueIndex('stage_playbooks_stage_idx').on(t.stageId)],
);
