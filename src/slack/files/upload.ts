// Sending files to a person's DM the way Slack wants it now: reserve each file
// (files.getUploadURLExternal), POST its bytes to the URL Slack gives, then share them all in one
// message (files.completeUploadExternal). The older files.upload is retired.
import type { WebClient } from '../deps.js';

export interface OutgoingFile {
  readonly filename: string;
  readonly title: string;
  readonly bytes: Buffer;
  /** For screen readers: what an image shows. */
  readonly altText?: string;
}

export async function sendFilesToDm(
  client: WebClient,
  userId: string,
  comment: string,
  files: readonly [OutgoingFile, ...OutgoingFile[]],
): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channelId = opened.channel?.id;
  if (!channelId) throw new Error(`conversations.open gave no DM channel for ${userId}`);
  const uploaded: { id: string; title: string }[] = [];
  for (const file of files) {
    const reserved = await client.files.getUploadURLExternal({
      filename: file.filename,
      length: file.bytes.length,
      ...(file.altText ? { alt_txt: file.altText } : {}),
    });
    if (!reserved.upload_url || !reserved.file_id) throw new Error('files.getUploadURLExternal gave no URL');
    const response = await fetch(reserved.upload_url, { method: 'POST', body: new Uint8Array(file.bytes) });
    if (!response.ok) throw new Error(`uploading ${file.filename} failed with HTTP ${response.status}`);
    uploaded.push({ id: reserved.file_id, title: file.title });
  }
  const [first, ...rest] = uploaded;
  await client.files.completeUploadExternal({
    files: [first!, ...rest],
    channel_id: channelId,
    initial_comment: comment,
  });
}
