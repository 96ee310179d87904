/**
 * The bot's message extension as the manifest declares it and the bot answers it: one search
 * command (a ward name typed in any compose box) and link previews of the bot's own district
 * links. The manifest check and the route both read these, so they cannot drift apart.
 */
export const DISTRICT_SEARCH = {
  commandId: 'findDistrict',
  /** The search box's one parameter: what the person types. */
  parameter: 'district',
} as const;
