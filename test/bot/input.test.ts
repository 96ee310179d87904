import { describe, expect, it } from 'vitest';
import { cardDataBytes, cleanInput, MAX_CARD_DATA_BYTES, MAX_INPUT_CHARS } from '../../src/bot/input.js';

describe('cleaning what people type', () => {
  it('removes the formatting Teams wraps around text and decodes entities', () => {
    expect(cleanInput('<p>summary&nbsp;<strong>Everton</strong></p>')).toEqual({ text: 'summary Everton', length: 44 });
    expect(cleanInput('what&#39;s the picture in Kirkdale?').text).toBe("what's the picture in Kirkdale?");
    expect(cleanInput('  summary \n  Church  ').text).toBe('summary Church');
  });

  it('names text that cannot be a command', () => {
    expect(cleanInput('x'.repeat(MAX_INPUT_CHARS + 1)).problem).toBe('too-long');
    expect(cleanInput('{"type":"AdaptiveCard","body":[]}').problem).toBe('json');
    expect(cleanInput('{"type": "AdaptiveCard", "body": [ broken').problem).toBe('json');
    expect(cleanInput('<script>alert(1)</script>').problem).toBe('markup');
    expect(cleanInput('<img src=x onerror=alert(1)>').problem).toBe('markup');
  });

  it('leaves ordinary text alone, braces and angle brackets included', () => {
    expect(cleanInput('summary {Everton}').problem).toBeUndefined();
    expect(cleanInput('rank < 5').problem).toBeUndefined();
    expect(cleanInput('summary &lt;b&gt;').text).toBe('summary <b>');
  });

  it('keeps an @mention of a person as @Name, so a command can name them; other markup is still refused', () => {
    expect(cleanInput('grant coordinator to <at>Sam Patel</at>').text).toBe('grant coordinator to @Sam Patel');
    expect(cleanInput('revoke board from <at id="0">Sam</at> <p></p>').text).toBe('revoke board from @Sam');
    expect(cleanInput('grant admin to <at><b>Sam</b></at>').problem).toBe('markup');
  });

  it('measures what a card button sent', () => {
    expect(cardDataBytes(undefined)).toBe(0);
    expect(cardDataBytes({ verb: 'district.summary', districtId: 'E05000896' })).toBe(52);
    expect(cardDataBytes({ text: 'é' })).toBe(13); // bytes, not characters
    expect(cardDataBytes({ pad: 'x'.repeat(MAX_CARD_DATA_BYTES) })).toBeGreaterThan(MAX_CARD_DATA_BYTES);
  });
});
