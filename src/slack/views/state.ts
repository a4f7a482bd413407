// Reading what a person entered in a modal: Slack sends every input as
// view.state.values[block_id][action_id], typed by element.
import type { ViewOutput, ViewStateValue } from '@slack/bolt';

export type Field = { readonly block: string; readonly action: string };

export function valueOf(view: ViewOutput, field: Field): ViewStateValue | undefined {
  return view.state.values[field.block]?.[field.action];
}

/** Text, a date, a person, a conversation or an option's value: whichever the element holds. */
export function entered(view: ViewOutput, field: Field): string | null {
  const v = valueOf(view, field);
  if (!v) return null;
  return (
    v.value ??
    v.selected_date ??
    v.selected_user ??
    v.selected_conversation ??
    v.selected_channel ??
    v.selected_option?.value ??
    null
  );
}

/** private_metadata as the builder wrote it; a tampered or missing one reads as undefined. */
export function metadataOf<T>(view: ViewOutput): T | undefined {
  try {
    const parsed: unknown = JSON.parse(view.private_metadata || 'null');
    return parsed && typeof parsed === 'object' ? (parsed as T) : undefined;
  } catch {
    return undefined;
  }
}
