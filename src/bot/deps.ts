import type { BoardChannel } from '../domain/conversation.js';
import type { Partnership } from '../domain/partnership.js';
import type { Logger } from '../log.js';
import type { BoardChannels } from '../services/board-channels.js';
import type { Clock } from '../services/clock.js';
import type { CommandRateLimiter } from '../services/command-rate-limiter.js';
import type { ConversationRefs } from '../services/conversation-refs.js';
import type { DistrictDirectory } from '../services/district-directory.js';
import type { DistrictProfiles } from '../services/district-profiles.js';
import type { Membership } from '../services/membership.js';
import type { ReminderSettingsService } from '../services/reminder-settings.js';
import type { AccessRequests } from '../services/access-requests.js';
import type { Onboarding } from '../services/onboarding.js';
import type { Recommendations } from '../services/recommendations.js';
import type { RoleAdmin } from '../services/role-admin.js';
import type { Tasks } from '../services/tasks.js';
import type { DistrictCardCache } from './district-card-cache.js';

/** The services the bot's routes call: built once in main, passed in (no globals). */
export interface BotDeps {
  membership: Membership;
  directory: DistrictDirectory;
  profiles: DistrictProfiles;
  conversations: ConversationRefs;
  boards: BoardChannels;
  tasks: Tasks;
  /** The profiles' recommendations and Make action. */
  recommendations: Recommendations;
  clock: Clock;
  log: Logger;
  /** Role changes made in chat by an admin, audited as that admin. */
  roles: RoleAdmin;
  /** `reminders off` / `reminders on` and `reminder settings` (issue 16), audited as the member. */
  reminderSettings: ReminderSettingsService;
  /** Members and agencies added and removed in chat (admins and coordinators), audited as that person. */
  onboarding: Onboarding;
  /** Strangers' requests for access, and the admins' decisions on them. */
  access: AccessRequests;
  /** Entra tenants whose activities are accepted (lower case); empty accepts any. */
  allowedTenantIds: readonly string[];
  rateLimiter: CommandRateLimiter;
  /** Bound summary, gaps and plan cards, checked against the district's version stamp. */
  districtCards: DistrictCardCache;
  /** `digest now`: records the request and delivers it in the background (the digest job). */
  digests?: DigestRequests;
  /** BOT_DOMAIN: the host of the bot's own district links; without it there are none. */
  botDomain?: string;
}

export interface DigestRequests {
  request(partnership: Partnership, channel: BoardChannel, requestedBy: string): Promise<unknown>;
}
