// A modal's field errors are plain text: Slack shows `<@U…>`, `<#C…>`, backticks and asterisks
// exactly as written. Flows phrase failures for messages, where those render; under a field they
// must read as a person would write them: people by name, no markup.
import type { People } from '../people.js';

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const CHANNEL = /<#[CG][A-Z0-9]+\|([^>]*)>/g;
const MARKUP = /[`*]/g;

/** One failure message as plain text: mentions become names (as Slack has them), markup goes. */
export async function asPlainText(people: People, message: string): Promise<string> {
  const ids = [...new Set([...message.matchAll(MENTION)].map((m) => m[1]!))];
  const names = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      const name = await people.profile(id).then(
        (p) => p.name,
        () => 'someone',
      );
      names.set(id, name);
    }),
  );
  return message
    .replace(MENTION, (_, id: string) => names.get(id) ?? 'someone')
    .replace(CHANNEL, (_, name: string) => `#${name}`)
    .replace(MARKUP, '');
}

/** `response_action: errors` with the message under `block`, as plain text. */
export async function fieldError(
  people: People,
  block: string,
  message: string,
): Promise<{ response_action: 'errors'; errors: Record<string, string> }> {
  return { response_action: 'errors', errors: { [block]: await asPlainText(people, message) } };
}
