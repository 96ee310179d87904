import { Slug } from './text.js';

/**
 * The bot's own link to a district: https://<BOT_DOMAIN>/districts/<partnershipId>/<districtId>.
 * Pasted into a Teams compose box, it unfurls into the district's summary card (for a member of
 * that partnership, under the usual classification rules). Only this exact shape is ours: any
 * other URL, even on the bot's domain, is not read as a district.
 */
export interface DistrictLinkTarget {
  partnershipId: string;
  districtId: string;
}

/** Longer than any link of ours; a longer "URL" is not parsed at all. */
export const MAX_LINK_CHARS = 300;

const PATH = /^\/districts\/([^/]+)\/([^/]+)\/?$/;

export function districtLink(botDomain: string, target: DistrictLinkTarget): string {
  return `https://${botDomain}/districts/${encodeURIComponent(target.partnershipId)}/${encodeURIComponent(target.districtId)}`;
}

/** The district a link names, or undefined when it is not one of the bot's own district links. */
export function parseDistrictLink(botDomain: string, url: unknown): DistrictLinkTarget | undefined {
  if (typeof url !== 'string' || url.length > MAX_LINK_CHARS) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  // No credentials, port, query or fragment: none of ours carries them, so a link that does is
  // someone else's (or made to look like ours).
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return undefined;
  if (parsed.hostname.toLowerCase() !== botDomain.toLowerCase() || parsed.search || parsed.hash) return undefined;
  const m = PATH.exec(parsed.pathname);
  if (!m) return undefined;
  let partnershipId: string;
  let districtId: string;
  try {
    partnershipId = decodeURIComponent(m[1]!);
    districtId = decodeURIComponent(m[2]!);
  } catch {
    return undefined;
  }
  if (!Slug.safeParse(partnershipId).success || !Slug.safeParse(districtId).success) return undefined;
  return { partnershipId, districtId };
}
