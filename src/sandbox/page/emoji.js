// Slack's emoji shortcodes as the page shows them: every one Steward sends (a test holds this table
// to the bot's source), plus a few people type. An unknown shortcode stays as text, as in Slack.

export const EMOJI = {
  warning: '⚠️',
  white_check_mark: '✅',
  wave: '👋',
  rocket: '🚀',
  leftwards_arrow_with_hook: '↩️',
  information_source: 'ℹ️',
  handshake: '🤝',
  fast_forward: '⏩',
  calendar: '📅',
  spiral_calendar_pad: '🗓️',
  alarm_clock: '⏰',
  bell: '🔔',
  bulb: '💡',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  white_circle: '⚪',
  large_blue_circle: '🔵',
  rotating_light: '🚨',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  hourglass_flowing_sand: '⏳',
  zzz: '💤',
  tada: '🎉',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  x: '❌',
  heavy_check_mark: '✔️',
  bust_in_silhouette: '👤',
  busy_in_silhouette: '👥',
  clipboard: '📋',
  pushpin: '📌',
  mag: '🔍',
  thumbsup: '👍',
  '+1': '👍',
  eyes: '👀',
  memo: '📝',
  palm_tree: '🌴',
  arrows_counterclockwise: '🔄',
  repeat: '🔁',
  triangular_flag_on_post: '🚩',
  checkered_flag: '🏁',
  lock: '🔒',
};

/** Text with each known `:shortcode:` replaced by its emoji. */
export function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}
