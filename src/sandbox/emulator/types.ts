/**
 * Public shapes of the Slack emulator: the workspace it holds, what it records and what it
 * tells listeners. Field names in camelCase are the emulator's own; snake_case objects are
 * exactly what Slack puts on the wire.
 */

/** A person (or another bot) in the emulated workspace. */
export interface EmulatedUser {
  id: string;
  /** the handle (`name` in Slack's user object) */
  name: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  /** IANA zone; default `UTC` */
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
}

/** A conversation: a channel (C…), a private channel (G… or C…) or a direct message (D…). */
export interface EmulatedChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isIm?: boolean;
  /** for a direct message: the person on the other side of the bot */
  user?: string;
  /** member ids; absent → every user of the workspace, the bot included, now and later */
  members?: string[];
  topic?: string;
  purpose?: string;
  isArchived?: boolean;
  /** shared with another organisation (Slack Connect): `is_ext_shared` */
  isExtShared?: boolean;
  /** shared between workspaces of one Enterprise Grid organisation: `is_org_shared` */
  isOrgShared?: boolean;
  /** invited to Slack Connect, not yet accepted: `is_pending_ext_shared` */
  isPendingExtShared?: boolean;
}

/** Structured metadata attached to a message (`metadata` of chat.postMessage). */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** One Block Kit block as sent by the app; the emulator fills in missing `block_id`s like Slack. */
export interface Block {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

/** How a message got into a conversation. */
export type MessageSource = 'chat.postMessage' | 'response_url' | 'command_response' | 'user';

/** A message in a conversation, thread replies included. Deleted messages stay, flagged. */
export interface EmulatedMessage {
  channel: string;
  ts: string;
  /** the parent's ts, for a reply in a thread */
  threadTs?: string;
  /** the author: a person, or the bot's user id for the bot's own messages */
  user?: string;
  /** set on the bot's own messages */
  botId?: string;
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
  /** files shared with the message (files.completeUploadExternal) */
  files?: SharedFile[];
  /** ts-style stamp of the last edit */
  updatedAt?: string;
  deleted: boolean;
  via: MessageSource;
}

/** How an ephemeral message got to its reader. */
export type EphemeralSource = 'chat.postEphemeral' | 'response_url' | 'command_response';

/** A message only one person sees. */
export interface EphemeralMessage {
  channel: string;
  /** who sees it */
  user: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: Block[];
  via: EphemeralSource;
  updatedAt?: string;
  deleted: boolean;
}

/** A Block Kit option (`static_select`, `radio_buttons`, `checkboxes`, `overflow`). */
export interface SelectOption {
  text: { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
  value: string;
  description?: unknown;
}

/**
 * One element's value in `view.state.values`, in Slack's exact shape for that element type.
 * `null` (or `[]`) means the person left it empty.
 */
export type EmulatedInputValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'email_text_input'; value: string | null }
  | { type: 'url_text_input'; value: string | null }
  | { type: 'number_input'; value: string | null }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'timepicker'; selected_time: string | null }
  | { type: 'users_select'; selected_user: string | null }
  | { type: 'multi_users_select'; selected_users: string[] }
  | { type: 'conversations_select'; selected_conversation: string | null }
  | { type: 'multi_conversations_select'; selected_conversations: string[] }
  | { type: 'channels_select'; selected_channel: string | null }
  | { type: 'multi_channels_select'; selected_channels: string[] }
  | { type: 'static_select'; selected_option: SelectOption | null }
  | { type: 'external_select'; selected_option: SelectOption | null }
  | { type: 'radio_buttons'; selected_option: SelectOption | null }
  | { type: 'multi_static_select'; selected_options: SelectOption[] }
  | { type: 'checkboxes'; selected_options: SelectOption[] };

/**
 * What a person enters in an input: the exact Slack shape, or a shorthand resolved against the
 * element in the view — a string (text, date, user id, option value…), a string list for
 * multi-selects and checkboxes, or `null` to leave it empty.
 */
export type InputEntry = EmulatedInputValue | string | string[] | null;

/** `view.state.values`: block_id → action_id → value. */
export type ViewStateValues = Record<string, Record<string, EmulatedInputValue>>;

/** A view as Slack returns it from views.open / views.publish and sends it in payloads. */
export interface EmulatedView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: Block[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: ViewStateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** One Web API request as the emulator saw it (response_url posts are recorded as `response_url`). */
export interface RecordedCall {
  seq: number;
  method: string;
  /** the arguments, JSON fields (blocks, view, metadata…) already parsed */
  args: Record<string, unknown>;
  token?: string;
  /** emulator clock, ms */
  at: number;
  status: number;
  response: Record<string, unknown>;
}

/** A failure to inject with {@link SlackEmulator.failNext}; `channel` narrows it to calls on that conversation. */
export type InjectedFailure =
  { status: 429; retryAfter: number; channel?: string } | { error: string; channel?: string };

/** What the bot answered to a request the emulator sent it. */
export interface BotReply {
  /** HTTP status; 0 when the request never got an answer */
  status: number;
  /** parsed JSON, or the raw text, or undefined for an empty body */
  body: unknown;
  /** Slack gives up after the ack timeout (3 s) and shows the person an error */
  timedOut?: boolean;
  /** a connection failure, when status is 0 */
  error?: string;
}

/** What the bot answered to a slash command, with the grants Slack sent along. */
export interface CommandResult extends BotReply {
  triggerId: string;
  responseUrl: string;
  /** Slack's objections to the bot's reply body, if it could not be shown */
  problems?: string[];
}

/** What the bot answered to a button click. */
export interface ActionResult extends BotReply {
  triggerId: string;
  /** absent for clicks in views, as in Slack */
  responseUrl?: string;
}

/** What became of a view submission. */
export interface ViewSubmissionResult extends BotReply {
  /** false when Slack's client refused to send it (a required input left empty) */
  delivered: boolean;
  /** the bot's `response_action`; absent when it acked with no body, which closes the view */
  responseAction?: 'errors' | 'update' | 'push' | 'clear';
  /** field errors shown under the inputs, by block_id */
  errors?: Record<string, string>;
  /** the person's top view afterwards, if any is still open */
  view?: EmulatedView;
  /** what Slack would reject in the bot's answer (it then shows a generic error and keeps the view) */
  problems?: string[];
}

/** Values to enter in a view: by block_id, either the entry itself or a map of action_id → entry. */
export type ViewInput = Record<string, InputEntry | Record<string, InputEntry>>;

/** Where a button is: on a message (ephemeral ones included) or in a view (modal or home tab). */
export type ActionSource = { channelId: string; ts: string } | { viewId: string };

/** A raw request to the bot, for forging what Slack would never send (stale or bad signatures). */
export interface RawDelivery {
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  /** unix seconds for `X-Slack-Request-Timestamp`; default now */
  timestamp?: number;
  /** the `X-Slack-Signature` header; default the correct one */
  signature?: string;
  /** Slack's retry count (`X-Slack-Retry-Num`, or `retry_attempt` in Socket Mode); absent on a first delivery */
  retryAttempt?: number;
  /** why Slack retries (`X-Slack-Retry-Reason`, or `retry_reason`), e.g. `timeout` */
  retryReason?: string;
}

/** Change notifications, so a page can live-update. */
export type EmulatorEvent =
  | { type: 'api_call'; call: RecordedCall }
  | { type: 'message_posted'; message: EmulatedMessage }
  | { type: 'message_updated'; message: EmulatedMessage }
  | { type: 'message_deleted'; message: EmulatedMessage }
  | { type: 'ephemeral_posted'; ephemeral: EphemeralMessage }
  | { type: 'ephemeral_updated'; ephemeral: EphemeralMessage }
  | { type: 'views_changed'; userId: string; views: EmulatedView[] }
  | { type: 'home_published'; userId: string; view: EmulatedView }
  | { type: 'user_added'; user: EmulatedUser }
  | { type: 'channel_added'; channel: EmulatedChannel }
  | { type: 'delivered'; kind: string; reply: BotReply };

/** A file shared in a conversation, in the shape of Slack's file object (the fields Steward reads). */
export interface SharedFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  created: number;
  url_private: string;
  url_private_download: string;
  channels: string[];
  alt_txt?: string;
}
