import { LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';

const ALICE = 'U0ALICE';
const GENERAL = 'C0GENERAL';
const HIDDEN = 'G0HIDDEN';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

async function setup() {
  const emulator = await SlackEmulator.start({
    signingSecret: 'secret',
    users: [{ id: ALICE, name: 'alice', realName: 'Alice Lead' }],
    channels: [
      { id: GENERAL, name: 'general' },
      { id: HIDDEN, name: 'hidden', isPrivate: true, members: [ALICE] },
    ],
    now: () => Date.UTC(2026, 11, 7, 9, 0, 0),
  });
  cleanups.push(() => emulator.close());
  const client = new WebClient('xoxb-test', {
    slackApiUrl: emulator.apiUrl,
    retryConfig: { retries: 0 },
    logger: quiet,
  });
  return { emulator, client };
}

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return (err as WebAPIPlatformError).data.error;
  }
  throw new Error('the call succeeded');
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 255]);

describe('file upload (files.getUploadURLExternal + files.completeUploadExternal)', () => {
  it('shares uploaded files in a person’s DM as one message, bytes intact', async () => {
    const { emulator, client } = await setup();
    const result = await client.filesUploadV2({
      channel_id: ALICE,
      initial_comment: 'Your report',
      file_uploads: [
        { file: Buffer.from('name,turns\nAna,2\n'), filename: 'report.csv', title: 'Report' },
        { file: PNG, filename: 'turns.png', alt_text: 'Turns per member' },
      ],
    });
    expect(result.ok).toBe(true);

    const [message] = emulator.messages(ALICE);
    expect(message?.text).toBe('Your report');
    expect(message?.files?.map((f) => [f.name, f.title, f.mimetype, f.size])).toEqual([
      ['report.csv', 'Report', 'text/csv', 17],
      ['turns.png', 'turns.png', 'image/png', PNG.length],
    ]);
    expect(message?.files?.[1]?.alt_txt).toBe('Turns per member');
    const png = message!.files![1]!;
    expect(emulator.fileContent(png.id)?.bytes.equals(PNG)).toBe(true);

    // url_private serves the bytes to the bot's token only.
    const withToken = await fetch(png.url_private, { headers: { authorization: 'Bearer xoxb-test' } });
    expect(withToken.status).toBe(200);
    expect(Buffer.from(await withToken.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(png.url_private)).status).toBe(403);

    const history = await client.conversations.history({ channel: message!.channel });
    expect(history.messages?.[0]?.files?.map((f) => f.name)).toEqual(['report.csv', 'turns.png']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no file name', { length: 10 }, 'invalid_arguments'],
    ['no length', { filename: 'a.csv' }, 'invalid_arguments'],
    ['a length of zero', { filename: 'a.csv', length: 0 }, 'invalid_arguments'],
    [
      'alt text over 1,000 characters',
      { filename: 'a.png', length: 3, alt_txt: 'x'.repeat(1001) },
      'alt_txt_too_large',
    ],
  ])('refuses to reserve an upload with %s', async (_case, args, error) => {
    const { client } = await setup();
    expect(await slackError(client.apiCall('files.getUploadURLExternal', args))).toBe(error);
  });

  it('refuses to complete a file that was never uploaded, or twice', async () => {
    const { client } = await setup();
    const reserved = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
    const files: [{ id: string }] = [{ id: reserved.file_id! }];
    expect(await slackError(client.files.completeUploadExternal({ files, channel_id: GENERAL }))).toBe(
      'file_not_found',
    );
    const upload = await fetch(reserved.upload_url!, { method: 'POST', body: Buffer.from('a,b') });
    expect(await upload.text()).toBe('OK - 3');
    await client.files.completeUploadExternal({ files, channel_id: GENERAL });
    expect(await slackError(client.files.completeUploadExternal({ files, channel_id: GENERAL }))).toBe(
      'file_not_found',
    );
  });

  it('refuses bytes that are not the length announced', async () => {
    const { client } = await setup();
    const reserved = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 5 });
    const upload = await fetch(reserved.upload_url!, { method: 'POST', body: Buffer.from('a,b') });
    expect(upload.status).toBe(400);
  });

  it('refuses to share in a private channel the bot is not in', async () => {
    const { client } = await setup();
    const reserved = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
    await fetch(reserved.upload_url!, { method: 'POST', body: Buffer.from('a,b') });
    expect(
      await slackError(
        client.files.completeUploadExternal({ files: [{ id: reserved.file_id! }], channel_id: HIDDEN }),
      ),
    ).toBe('channel_not_found');
  });
});
