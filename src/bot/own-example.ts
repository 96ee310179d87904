import { withOwnDistricts } from '../domain/example-districts.js';
import type { RouteContext } from './guard.js';

/** An example or hint with the partnership's own districts in place of the demo's (not in the demo). */
export async function ownExample(rc: RouteContext, text: string): Promise<string> {
  if (rc.requester.partnership.demo) return text;
  return withOwnDistricts(text, await rc.deps.directory.exampleNames(rc.requester.partnership.id));
}
