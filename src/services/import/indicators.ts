import type { CsvLayout } from './csv-records.js';

/** The documented indicators CSV (README, datasets/examples/indicators.csv). */
export const INDICATORS_LAYOUT = {
  name: 'indicators (indicator, district, value, source, date)',
  columns: ['indicator', 'district', 'value', 'source', 'date'],
} as const satisfies CsvLayout<string>;
