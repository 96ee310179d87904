import { describe, expect, it } from 'vitest';
import { cleanInput, MAX_INPUT_CHARS } from '../../src/bot/input.js';

describe('cleaning what people type', () => {
  it('removes the formatting Teams wraps around text and decodes entities', () => {
    expect(cleanInput('<p>summary&nbsp;<strong>Everton</strong></p>')).toEqual({ text: 'summary Everton', length: 44 });
    expect(cleanInput('what&#39;s the picture in Kirkdale?').text).toBe("what's the picture in Kirkdale?");
    expect(cleanInput('  summary \n  Church  ').text).toBe('summary Church');
  });

  it('reads an @mention of a person as their name', () => {
    expect(cleanInput('assign G-12 to <at>Adele Vance</at>').text).toBe('assign G-12 to Adele Vance');
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
});
