import type { FourPAction } from './action.js';
import { changeText, formatCount } from './format.js';

/** "Referrals a quarter: 12 → 19, +7 (+58%)", or the measure alone before there is a reading. */
export function impactText(action: FourPAction): string {
  if (action.impactBefore === undefined) return action.impactMeasure;
  const before = formatCount(action.impactBefore);
  if (action.impactAfter === undefined) return `${action.impactMeasure}: ${before} at the start`;
  const change = changeText(action.impactAfter, action.impactBefore).text;
  return `${action.impactMeasure}: ${before} → ${formatCount(action.impactAfter)}, ${change}`;
}
