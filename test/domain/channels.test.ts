import { describe, expect, it } from 'vitest';
import { channelMismatch, isSharedOutside, mentionsClient } from '../../src/domain/channels.js';

const flags = { isExtShared: false, isShared: false, isOrgShared: false, isPendingExtShared: false };

describe('whether a client can read a channel', () => {
  it.each([
    ['an internal channel', {}, false],
    ['a Slack Connect channel', { isExtShared: true, isShared: true }, true],
    ['a pending Slack Connect invitation', { isPendingExtShared: true }, true],
    [
      'a channel shared with other workspaces of the organisation',
      { isShared: true, isOrgShared: true },
      false,
    ],
    ['a channel shared without saying with whom', { isShared: true }, true],
  ])('%s', (_what, given, shared) => {
    expect(isSharedOutside({ ...flags, ...given })).toBe(shared);
  });
});

describe('whether a text names a client', () => {
  it.each([
    ['acme-rollout', 'Acme GmbH', true],
    ['Shared with Globex Corporation (Slack Connect).', 'Globex Corporation', true],
    ['wayneenterprises-analytics', 'Wayne Enterprises', true],
    ['Internal: the Chloé Café engagement.', 'Chloe Cafe', true],
    ['initech-onboarding', 'Hooli', false],
    ['acmes', 'Acme', true],
    ['', 'Acme', false],
  ])('%s names %s: %s', (text, client, named) => {
    expect(mentionsClient(text, client)).toBe(named);
  });
});

describe('a channel that looks like another client’s', () => {
  const channel = {
    id: 'C1',
    name: 'ext-initech',
    topic: '',
    purpose: 'Shared with Initech (Slack Connect).',
  };
  const open = [{ number: 2, clientName: 'Initech', channelId: 'C0INITECH', clientChannelId: 'C1' }];

  it('warns when the channel already serves another open engagement’s client', () => {
    expect(channelMismatch(channel, 'Hooli', open)).toEqual({ kind: 'serves-other', engagement: open[0] });
  });

  it('warns when the topic or purpose says it is shared with another organisation', () => {
    expect(channelMismatch({ ...channel, topic: 'Shared with Initech', purpose: '' }, 'Hooli', [])).toEqual({
      kind: 'names-other',
      otherClient: 'Initech',
      where: 'topic',
    });
  });

  it('warns when the name is another open engagement’s client', () => {
    const named = { id: 'C9', name: 'globex-launch', topic: '', purpose: '' };
    const others = [{ number: 4, clientName: 'Globex Corporation', channelId: 'C8', clientChannelId: null }];
    expect(channelMismatch(named, 'Hooli', others)).toEqual({
      kind: 'names-other',
      otherClient: 'Globex Corporation',
      where: 'name',
    });
  });

  it.each([
    ['the same client, spelt differently', 'Initech Inc.'],
    ['a channel that names this client too', 'Initech'],
  ])('says nothing for %s', (_what, client) => {
    expect(channelMismatch(channel, client, open)).toBeNull();
  });

  it('says nothing for a channel that names no client', () => {
    expect(
      channelMismatch({ id: 'C5', name: 'project-x', topic: '', purpose: '' }, 'Hooli', open),
    ).toBeNull();
  });
});
