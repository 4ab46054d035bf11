import type { BrowserContext, Page } from 'playwright-core';

export interface Journey {
  name: string;
  viewport?: { width: number; height: number };
  locale?: string;
  run(page: Page, context: BrowserContext): Promise<void>;
}

export const journeys: Journey[] = [];
