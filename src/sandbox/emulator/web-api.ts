/**
 * The Web API methods the emulator answers: those the app calls (its declared surface), each a
 * function of the workspace and the parsed arguments that returns Slack's JSON body. Error codes
 * are Slack's own, so that the bot's error handling meets what it will meet in production.
 */
import type { ApiResult, Args } from './args.js';
import { CHAT_METHODS } from './chat-methods.js';
import { CONVERSATION_METHODS } from './conversation-methods.js';
import { FILE_METHODS } from './files.js';
import { PEOPLE_METHODS } from './people-methods.js';
import { VIEW_METHODS } from './view-methods.js';
import type { Workspace } from './workspace.js';

export type Method = (ws: Workspace, args: Args) => ApiResult;

/** Arguments that Slack reads as JSON when they arrive form-encoded (as @slack/web-api sends them). */
export const JSON_ARGUMENTS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export const METHODS: Readonly<Record<string, Method>> = {
  ...PEOPLE_METHODS,
  ...CONVERSATION_METHODS,
  ...CHAT_METHODS,
  ...VIEW_METHODS,
  // Files a message shares (the page shows them): upload URL, the upload, completion.
  ...FILE_METHODS,
};
