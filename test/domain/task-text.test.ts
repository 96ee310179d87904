import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { readActionForm, readGapForm, EMPTY_FORM } from '../../src/domain/task-form.js';
import { parseClose, parseNewAction, parseNewGap, parseUpdate } from '../../src/domain/task-text.js';

const NOW = new Date('2026-11-25T10:00:00Z');

describe('one-line creates', () => {
  it('reads the issue’s example, options taken from the end', () => {
    expect(
      parseNewGap('Bradford Moor: Which car washes front cash laundering? lead Bradford Council due 2027-01-31'),
    ).toEqual({
      district: 'Bradford Moor',
      text: 'Which car washes front cash laundering?',
      agency: 'Bradford Council',
      due: '2027-01-31',
      classification: 'OFFICIAL',
    });
  });

  it('keeps "lead" and "due" that belong to the question', () => {
    expect(
      parseNewGap('Everton: Who will lead the due diligence on lettings? lead Liverpool City Council'),
    ).toMatchObject({
      text: 'Who will lead the due diligence on lettings?',
      agency: 'Liverpool City Council',
    });
  });

  it('refuses a due date it cannot read, rather than keep it in the question', () => {
    expect(() => parseNewGap('Everton: Who? lead Liverpool City Council due 31/01/2027')).toThrow(
      'Write the due date as a date such as due 2027-01-31.',
    );
    expect(() => parseNewGap('Everton: Who? due 2027-02-31')).toThrow(/not a date/);
  });

  it('with the district alone, asks for the form', () => {
    expect(parseNewGap('Bradford Moor')).toEqual({ district: 'Bradford Moor', classification: 'OFFICIAL' });
    expect(parseNewAction('Bradford Moor prevent')).toEqual({
      district: 'Bradford Moor',
      strand: 'prevent',
      classification: 'OFFICIAL',
    });
  });

  it('reads an action with its strand, lead, measure, gap and classification in any order', () => {
    expect(
      parseNewAction(
        'Everton pursue: Disrupt the county line measure Arrests a quarter from g 12 lead Merseyside Police due 2027-03-31 OFFICIAL-SENSITIVE',
      ),
    ).toEqual({
      district: 'Everton',
      strand: 'pursue',
      text: 'Disrupt the county line',
      measure: 'Arrests a quarter',
      fromGap: 'G-12',
      agency: 'Merseyside Police',
      due: '2027-03-31',
      classification: 'OFFICIAL-SENSITIVE',
    });
  });
});

describe('chat updates', () => {
  it('reads the ways people say it', () => {
    expect(parseUpdate('update PREV-3 done: referral pathway agreed with youth services')).toEqual({
      ref: 'PREV-3',
      op: 'done',
      text: 'referral pathway agreed with youth services',
    });
    expect(parseUpdate('PURS-7 blocked - awaiting HMRC data')).toEqual({
      ref: 'PURS-7',
      op: 'block',
      text: 'awaiting HMRC data',
    });
    expect(parseUpdate('mark G-12 filled: health data shared under the ISA')).toMatchObject({
      ref: 'G-12',
      op: 'done',
    });
    expect(parseUpdate('update prev 3 in progress')).toEqual({ ref: 'PREV-3', op: 'progress' });
    expect(parseUpdate('accept G-12')).toEqual({ ref: 'G-12', op: 'accept' });
    expect(parseUpdate('update G-12 note: two premises visited')).toMatchObject({
      op: 'note',
      text: 'two premises visited',
    });
  });

  it('asks for the note a change needs, and ignores what is not an update', () => {
    expect(() => parseUpdate('update PREV-3 done')).toThrow(ValidationError);
    expect(() => parseUpdate('PURS-7 blocked')).toThrow(
      'Say what it is waiting for, for example: update PURS-7 blocked',
    );
    expect(parseUpdate('summary Everton')).toBeUndefined();
    expect(parseUpdate('update X-3 done: y')).toBeUndefined();
  });
});

describe('the form', () => {
  it('lists every problem at once, and reads a good gap', () => {
    const bad = readGapForm('E1', { ...EMPTY_FORM, text: ' ', due: '31/01/2027', owner: 'someone' }, NOW);
    expect(bad).toEqual({
      ok: false,
      errors: [
        'The question is needed.',
        'Due date must be a date such as 2027-01-31.',
        'Confirm that it contains no personal data (no names of people).',
        'Choose the owning agency for the owner.',
      ],
    });
    expect(
      readGapForm(
        'E1',
        { ...EMPTY_FORM, text: 'Q?', agency: 'council', due: '2027-01-31', noPersonalData: 'true' },
        NOW,
      ),
    ).toEqual({
      ok: true,
      value: {
        districtId: 'E1',
        question: 'Q?',
        agencyId: 'council',
        ownerAadObjectId: undefined,
        due: '2027-01-31',
        classification: 'OFFICIAL',
        noPersonalData: 'confirmed',
      },
    });
  });

  it('needs an action’s strand, lead agency and measure; figures must be numbers', () => {
    const bad = readActionForm('E1', { ...EMPTY_FORM, text: 'Visits', impactBefore: 'twelve', fromGap: 'PREV-1' }, NOW);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual([
      'Confirm that it contains no personal data (no names of people).',
      'Choose a strand: Prepare, Pursue, Prevent or Protect.',
      'Choose the lead agency.',
      'Say how its impact will be measured.',
      'The starting figure must be a number.',
      'Raised from must be a gap reference such as G-12.',
    ]);
    const good = readActionForm(
      'E1',
      {
        ...EMPTY_FORM,
        text: 'Visits',
        strand: 'protect',
        agency: 'council',
        impactMeasure: 'Burglaries',
        impactBefore: '12',
        fromGap: 'g-4',
        noPersonalData: 'true',
      },
      NOW,
    );
    expect(good.ok && good.value).toMatchObject({ strand: 'protect', impactBefore: 12, fromGapRef: 'G-4' });
  });
});

describe('close and cancel', () => {
  it('reads `close G-12: …` and `cancel PURS-7 - …`, and asks for the reason when there is none', () => {
    expect(parseClose('close G-12: superseded by G-19')).toEqual({ ref: 'G-12', reason: 'superseded by G-19' });
    expect(parseClose('Cancel purs 7 - operation ended')).toEqual({ ref: 'PURS-7', reason: 'operation ended' });
    expect(() => parseClose('cancel PURS-7')).toThrow(
      'Say why it is no longer needed, for example: cancel PURS-7: <why>. Nothing was changed.',
    );
    expect(() => parseClose('close G-12:  ')).toThrow(ValidationError);
    expect(parseClose('close the door')).toBeUndefined();
  });
});
