// The layering is checked by the lint: slack/ and jobs/ → flows/ → db/ → domain/. These cases are
// the rule's specification; a wrong import in any of them fails `npm run lint`.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function refused(filePath: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('the layers', () => {
  it.each([
    ['src/domain/x.ts', "import '../db/teams.js';"],
    ['src/domain/x.ts', "import 'kysely';"],
    ['src/db/x.ts', "import '../flows/context.js';"],
    ['src/flows/x.ts', "import '../slack/app.js';"],
    ['src/flows/x.ts', "import '../jobs/schedule.js';"],
    ['src/slack/x.ts', "import '../db/schema.js';"],
    ['src/slack/blocks/x.ts', "import '../../db/schema.js';"],
    ['src/jobs/x.ts', "import '../db/teams.js';"],
    ['src/jobs/x.ts', "import '../slack/delivery.js';"],
  ])('refuse, in %s, %s', async (file, source) => {
    expect(await refused(file, source)).toBe(true);
  });

  it.each([
    ['src/db/x.ts', "import '../domain/calendar.js';"],
    ['src/flows/x.ts', "import '../db/teams.js';"],
    ['src/slack/x.ts', "import '../flows/context.js';"],
    ['src/slack/blocks/x.ts', "import '../../domain/calendar.js';"],
    ['src/jobs/x.ts', "import '../db/outbox.js';"],
    ['src/jobs/x.ts', "import '../flows/plan-reminders.js';"],
  ])('allow, in %s, %s', async (file, source) => {
    expect(await refused(file, source)).toBe(false);
  });
});
