import type { Classification } from './classification.js';
import { formatDay } from './dates.js';
import type { ReviewAlert } from './reminder-plan.js';
import { reviewAlertText } from './reminder-plan.js';
import { banner, type Banner } from './summary.js';

/** At most this many items are listed on an escalation card; the rest are counted (Teams' card size). */
export const ESCALATION_ROWS = 40;

export interface EscalatedItem {
  ref: string;
  districtName: string;
  /** The owner's display name, or their agency's name when no one person owns it. */
  owner: string;
  daysOverdue: number;
  classification: Classification;
}

export interface EscalationView {
  banner: Banner;
  title: string;
  summary: string;
  rows: { ref: string; line: string; days: string }[];
  /** Items counted but not listed: too many, or OFFICIAL-SENSITIVE for a coordinator not cleared. */
  withheld: string;
}

/**
 * A coordinator's daily escalation (guidance 3.8, holding agencies to account): items overdue by
 * `escalationDays` or more, most overdue first, by reference, with owner and days overdue. Items
 * the coordinator may not see are counted, never named: their reference, district and owner stay out.
 * Undefined when there is nothing to say.
 */
export function escalationView(
  visible: readonly EscalatedItem[],
  hiddenCount: number,
  escalationDays: number,
  today: string,
  demo: boolean,
): EscalationView | undefined {
  const total = visible.length + hiddenCount;
  if (total === 0) return undefined;
  const sorted = [...visible].sort((a, b) => b.daysOverdue - a.daysOverdue || a.ref.localeCompare(b.ref, 'en'));
  const shown = sorted.slice(0, ESCALATION_ROWS);
  const sensitive = shown.some((i) => i.classification === 'OFFICIAL-SENSITIVE');
  const withheld: string[] = [];
  if (sorted.length > shown.length) {
    withheld.push(`${sorted.length - shown.length} more not listed here: \`overdue\` lists them all.`);
  }
  if (hiddenCount > 0) {
    withheld.push(
      `${hiddenCount} OFFICIAL-SENSITIVE ${hiddenCount === 1 ? 'item is' : 'items are'} also overdue by ${escalationDays} days or more; you are not cleared to see ${hiddenCount === 1 ? 'it' : 'them'}.`,
    );
  }
  return {
    banner: banner(sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL', demo),
    title: `Escalation: ${total} ${total === 1 ? 'item' : 'items'} overdue by ${escalationDays} days or more`,
    summary: `As of ${formatDay(today)}. Most overdue first; open one to chase its owner.`,
    rows: shown.map((i) => ({
      ref: i.ref,
      line: `${i.owner} · ${i.districtName}`,
      days: `${i.daysOverdue} days overdue`,
    })),
    withheld: withheld.join(' '),
  };
}

/** At most this many districts get their own buttons on a review-due card; the rest are named. */
export const REVIEW_ROWS = 10;

export interface ReviewDueDistrict {
  districtId: string;
  districtName: string;
  /** The profile's etag, for Mark reviewed. */
  etag: string;
  alerts: readonly ReviewAlert[];
}

export interface ReviewDueView {
  banner: Banner;
  title: string;
  districts: { districtId: string; districtName: string; etag: string; lines: { text: string }[] }[];
  /** Districts past REVIEW_ROWS, by name: opened with `summary <district>`. */
  more: string;
}

/**
 * A coordinator's daily alert of the districts whose 12-month refresh or 6-month severity review
 * falls due (guidance principle 6), each with Open district and Mark reviewed: one card a day,
 * however many districts (an import refreshes them all on one day, so they fall due together).
 */
export function reviewDueView(districts: readonly ReviewDueDistrict[], demo: boolean): ReviewDueView {
  const sorted = [...districts].sort((a, b) => a.districtName.localeCompare(b.districtName, 'en'));
  const shown = sorted.slice(0, REVIEW_ROWS);
  const rest = sorted.slice(REVIEW_ROWS);
  return {
    banner: banner('OFFICIAL', demo),
    title: sorted.length === 1 ? `Review due: ${sorted[0]!.districtName}` : `Reviews due: ${sorted.length} districts`,
    districts: shown.map((d) => ({
      districtId: d.districtId,
      districtName: d.districtName,
      etag: d.etag,
      lines: d.alerts.map((a) => ({ text: `${reviewAlertText(a)}.` })),
    })),
    more: rest.length
      ? `Also due: ${rest.map((d) => d.districtName).join(', ')}. Open each with summary <district>.`
      : '',
  };
}
