import { clip } from '../domain/format.js';
import { banner } from '../domain/summary.js';
import type { RouteContext } from './guard.js';
import { ECHO_MAX_CHARS, sendNamedCard } from './reply.js';
import type { Verb } from './verbs.js';
import { ownExample } from './own-example.js';

export interface ChoiceData {
  banner: ReturnType<typeof banner>;
  title: string;
  text: string;
  echo: string;
  choices: { title: string; data: { verb: Verb; districtId: string } }[];
  hint: string;
}

/**
 * Turns what someone typed into one district, or asks which one: an ambiguous or unknown name
 * gets the closest districts as buttons, and an empty one the highest-harm districts. Never a
 * dead end. The buttons carry the same verb, so a tap finishes what was asked.
 */
export async function withDistrict(
  rc: RouteContext,
  query: string,
  verb: Verb,
  example: string,
  show: (districtId: string, correctedFrom?: string) => Promise<void>,
): Promise<void> {
  const { directory, profiles } = rc.deps;
  const pid = rc.requester.partnership.id;
  const demo = rc.requester.partnership.demo;
  const choiceCard = async (title: string, text: string, ids: readonly string[], echo = '') => {
    const choices = await Promise.all(
      ids.map(async (districtId) => ({ title: await directory.label(pid, districtId), data: { verb, districtId } })),
    );
    const data: ChoiceData = {
      banner: banner('OFFICIAL', demo),
      title,
      text,
      echo: echo ? clip(echo, ECHO_MAX_CHARS) : '',
      choices,
      hint: `Type a district's name after the command, for example: ${await ownExample(rc, example)}`,
    };
    await sendNamedCard(rc.context, 'district-choice', data);
  };

  if (query === '') {
    const top = await profiles.ranking(rc.requester, 5);
    await choiceCard(
      'Which district?',
      top.rows.length ? 'Name a district, or pick one of the highest-harm districts:' : 'Name a district.',
      top.rows.map((r) => r.districtId),
    );
    return;
  }

  const match = await directory.find(pid, query);
  switch (match.kind) {
    case 'exact':
      return show(match.district.id);
    case 'corrected':
      return show(match.district.id, query);
    case 'ambiguous':
      return choiceCard(
        'Which district did you mean?',
        'More than one district matches what you typed:',
        match.candidates.map((d) => d.id),
        query,
      );
    case 'unknown':
      return choiceCard(
        'No district by that name',
        'No district matches what you typed. The closest are:',
        match.suggestions.map((d) => d.id),
        query,
      );
  }
}
