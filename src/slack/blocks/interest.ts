// Answers to `prefer`, `pause` and `wishes`: what changed, what it does to the rotation, who asked.
import type { InterestChange, PauseChange, Wish } from '../../flows/interest.js';
import { formatDay, user } from './kit.js';

const WHAT_IT_DOES = {
  more: 'the rotation counts one turn fewer for them, so they come round a little sooner',
  fewer: 'the rotation counts one turn more for them, so they come round a little later',
  normal: 'the plain round robin',
} as const;

export function interestText(change: InterestChange, actorId: string): string {
  const who = change.userId === actorId ? 'You' : user(change.userId);
  const wish = change.interest === 'normal' ? 'the usual share of turns' : `${change.interest} turns`;
  if (change.previous === change.interest) return `${who} already asked for ${wish}: nothing changed.`;
  return `Noted: ${who} asked for ${wish} (${WHAT_IT_DOES[change.interest]}).`;
}

export function pauseText(change: PauseChange, actorId: string): string {
  const who = change.userId === actorId ? 'You' : user(change.userId);
  if (change.pausedUntil === null) {
    return change.previous === null
      ? `${who} had no pause to end: nothing changed.`
      : `${who} can be proposed as owner again (the pause until ${formatDay(change.previous, true)} is over).`;
  }
  return `${who} won't be proposed as owner for an engagement starting on or before ${formatDay(change.pausedUntil, true)}; the proposal says "paused until ${change.pausedUntil}".`;
}

export function wishesText(wishes: readonly Wish[]): string {
  if (wishes.length === 0) return 'Nobody in the rotation has asked for more, fewer or a pause.';
  const lines = wishes.map((w) => {
    const asked = [
      ...(w.interest !== 'normal' ? [`${w.interest} turns`] : []),
      ...(w.pausedUntil ? [`a pause until ${formatDay(w.pausedUntil, true)}`] : []),
    ];
    return `• ${user(w.userId)}: ${asked.join(' and ')}`;
  });
  return ['*Who asked for what*', ...lines].join('\n');
}
