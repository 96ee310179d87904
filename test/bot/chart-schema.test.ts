import { describe, expect, it } from 'vitest';
import { cardProblems, type Card } from '../support/cards.js';

/**
 * The harness's card check knows Teams' chart elements: a chart that follows Microsoft's schema
 * and carries a fallback passes; a wrong value type, a missing required field, an undocumented
 * property or chart type, or no fallback fails; any other unknown element still fails.
 */
function card(...body: unknown[]): Card {
  return { type: 'AdaptiveCard', version: '1.5', body } as Card;
}
const text = { type: 'TextBlock', text: 'Trend: 1.00 → 2.00', wrap: true };
const line = {
  type: 'Chart.Line',
  title: 'Crime severity by period',
  xAxisTitle: 'Period',
  yAxisTitle: 'Crime severity score',
  data: [
    {
      legend: 'Central',
      values: [
        { x: 'Jan–Mar 2019', y: 1 },
        { x: 'Apr–Jun 2019', y: 2.125 },
      ],
    },
  ],
  fallback: text,
};
const grouped = {
  type: 'Chart.VerticalBar.Grouped',
  stacked: true,
  showBarValues: true,
  data: [{ legend: 'Planned', color: 'categoricalBlue', values: [{ x: 'Prepare', y: 2 }] }],
  fallback: text,
};
const donut = { type: 'Chart.Donut', data: [{ legend: 'Done', value: 3, color: 'good' }], fallback: text };
const stacked = {
  type: 'Chart.HorizontalBar.Stacked',
  data: [{ title: 'Prepare', data: [{ legend: 'Planned', value: 2 }] }],
  fallback: text,
};

describe('cardProblems and charts', () => {
  it('accepts the documented chart shapes, each with a fallback', () => {
    expect(cardProblems(card(line, grouped, donut, stacked))).toEqual([]);
  });

  it.each([
    [
      'a y that is not a number',
      { ...line, data: [{ legend: 'x', values: [{ x: 'Q1', y: '1.0' }] }] },
      /y not a finite number/,
    ],
    ['a series without values', { ...line, data: [{ legend: 'x' }] }, /missing values/],
    ['no data', { ...grouped, data: undefined }, /missing data|data not an array/],
    ['stacked that is not a boolean', { ...grouped, stacked: 'yes' }, /stacked not a boolean/],
    ['an undocumented property', { ...line, smooth: true }, /undocumented property smooth/],
    [
      'a colour Teams does not name',
      { ...donut, data: [{ legend: 'a', value: 1, color: '#ff0000' }] },
      /color not one of/,
    ],
    ['a donut point without a value', { ...donut, data: [{ legend: 'a' }] }, /missing value/],
    ['no fallback', { ...line, fallback: undefined }, /no fallback element/],
    ['"drop" as the fallback', { ...line, fallback: 'drop' }, /no fallback element/],
    [
      'an unknown chart type',
      { ...line, type: 'Chart.VerticalBar.Stacked' },
      /unknown chart type Chart.VerticalBar.Stacked/,
    ],
  ])('refuses %s', (_what, chart, problem) => {
    const problems = cardProblems(card(chart));
    expect(problems.join('\n')).toMatch(problem);
  });

  it('still refuses any other unknown element type, with or without a fallback', () => {
    expect(cardProblems(card({ type: 'Sparkline', fallback: text })).join('\n')).toMatch(
      /Unknown element type "Sparkline"/,
    );
  });

  it('checks the fallback as it checks the card', () => {
    const bad = { ...line, fallback: { type: 'TextBlock', text: 'x', size: 'Enormous' } };
    expect(cardProblems(card(bad))).not.toEqual([]);
  });
});
