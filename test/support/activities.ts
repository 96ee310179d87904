import { readFileSync } from 'node:fs';

/**
 * Test activities, each built from a real Teams shape in test/fixtures/activities/ with the
 * sender, the conversation and the connector address filled in.
 */
export interface Person {
  aadObjectId: string;
  name: string;
}

export type Where = 'personal' | 'groupChat' | 'channel';

export interface Activity {
  type: string;
  id: string;
  text?: string;
  value?: unknown;
  serviceUrl: string;
  conversation: { id: string; conversationType: string; tenantId?: string; isGroup?: boolean };
  from: { id: string; name?: string; aadObjectId?: string };
  recipient: { id: string; name: string };
  channelData: Record<string, unknown>;
  entities?: Record<string, unknown>[];
  [key: string]: unknown;
}

const FIXTURES = new URL('../fixtures/activities/', import.meta.url);

function fixture(name: string): Activity {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Activity;
}

export const TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const BOT = { id: '28:22222222-3333-4444-5555-666666666666', name: 'SOC Profiles' };
export const GROUP_CHAT_ID = '19:group-chat-placeholder@thread.v2';
export const CHANNEL_ID = '19:channel-placeholder@thread.tacv2';

let sequence = 0;

export interface Addressing {
  from: Person;
  where: Where;
  serviceUrl: string;
  /**
   * A personal conversation other than the person's chat with the bot: a 1:1 chat between two
   * people, where a message extension is used as anywhere else (Teams still says "personal").
   */
  conversationId?: string;
}

/** The id Teams gives a person in activities (29:…), as the harness's connector knows them. */
export const teamsUserId = (p: Person) => `29:1${p.aadObjectId}`;

function address(activity: Activity, { from, where, serviceUrl, conversationId }: Addressing): Activity {
  sequence += 1;
  activity.id = `${activity.type}-${Date.now()}-${sequence}`;
  activity.timestamp = new Date().toISOString();
  activity.serviceUrl = serviceUrl;
  activity.from = { id: teamsUserId(from), name: from.name, aadObjectId: from.aadObjectId };
  if (where === 'personal') {
    activity.conversation = {
      conversationType: 'personal',
      tenantId: TENANT_ID,
      id: conversationId ?? `a:1personal-${from.aadObjectId}`,
    };
  } else if (where === 'groupChat') {
    activity.conversation = { isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID, id: GROUP_CHAT_ID };
  } else {
    activity.conversation = {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT_ID,
      id: `${CHANNEL_ID};messageid=${sequence}`,
    };
    activity.channelData = {
      ...activity.channelData,
      teamsChannelId: CHANNEL_ID,
      teamsTeamId: '19:team-placeholder@thread.tacv2',
      channel: { id: CHANNEL_ID },
      team: { id: '19:team-placeholder@thread.tacv2' },
    };
  }
  return activity;
}

/** Typed text; in a group chat or channel it @mentions the bot, as Teams requires. */
export function message(text: string, addressing: Addressing): Activity {
  if (addressing.where === 'personal') {
    const a = fixture('message.personal');
    a.text = text;
    return address(a, addressing);
  }
  const a = fixture(addressing.where === 'channel' ? 'message.channel-mention' : 'message.group-mention');
  a.text = `<at>${BOT.name}</at> ${text}`;
  delete a.attachments;
  return address(a, addressing);
}

/**
 * Typed text that @mentions people as Teams sends it: `<at>Name</at>` in the text (written by the
 * caller) and a mention entity for each, carrying their Teams id and name (not their object id).
 */
export function messageMentioning(text: string, addressing: Addressing, people: readonly Person[]): Activity {
  const a = message(text, addressing);
  a.entities = [
    ...(a.entities ?? []),
    ...people.map((p) => ({
      type: 'mention',
      mentioned: { id: teamsUserId(p), name: p.name },
      text: `<at>${p.name}</at>`,
    })),
  ];
  return a;
}

/** An Action.Submit pressed on a card the bot sent. */
export function cardSubmit(value: unknown, addressing: Addressing): Activity {
  const a = fixture('message.card-submit');
  a.value = value;
  return address(a, addressing);
}

/** An Action.Execute pressed on a card the bot sent. */
export function actionExecute(verb: string, data: unknown, title: string, addressing: Addressing): Activity {
  const a = fixture('invoke.adaptive-card-action');
  a.value = { action: { type: 'Action.Execute', title, verb, data }, trigger: 'manual' };
  return address(a, addressing);
}

export function botAdded(addressing: Addressing): Activity {
  return address(fixture('conversation-update.bot-added'), addressing);
}

/**
 * The app installed in someone's personal scope (by them, or through Graph's installedApps):
 * Teams sends an installationUpdate with action `add`, beside the conversationUpdate (botAdded).
 */
export function installationAdded(addressing: Addressing): Activity {
  return address(fixture('installation-update.add'), addressing);
}

/**
 * Text typed in the message extension's search box. `parameters` replaces the typed text's
 * parameter outright (a forged or odd invoke); `commandId` the command's id.
 */
export function searchQuery(
  text: string,
  addressing: Addressing,
  change: { commandId?: string; parameters?: unknown; queryOptions?: unknown } = {},
): Activity {
  const a = fixture('invoke.compose-extension-query');
  const value = a.value as Record<string, unknown>;
  value.parameters = change.parameters ?? [{ name: 'district', value: text }];
  if (change.commandId !== undefined) value.commandId = change.commandId;
  if (change.queryOptions !== undefined) value.queryOptions = change.queryOptions;
  return address(a, addressing);
}

/** A search result chosen: Teams sends back the `tap.value` of the result's preview. */
export function selectItem(value: unknown, addressing: Addressing): Activity {
  const a = fixture('invoke.compose-extension-select-item');
  a.value = value;
  return address(a, addressing);
}

/** A link pasted into the compose box, on a domain the manifest's messageHandlers name. */
export function queryLink(url: string, addressing: Addressing): Activity {
  const a = fixture('invoke.compose-extension-query-link');
  a.value = { url };
  return address(a, addressing);
}
