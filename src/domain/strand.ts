import { z } from 'zod';

/** The 4P strands (guidance 2.2). Each has the short prefix people type in action references. */
export const Strand = z.enum(['prepare', 'pursue', 'prevent', 'protect']);
export type Strand = z.infer<typeof Strand>;

export const STRANDS: readonly Strand[] = Strand.options;

export const STRAND_PREFIX = {
  prepare: 'PREP',
  pursue: 'PURS',
  prevent: 'PREV',
  protect: 'PROT',
} as const satisfies Record<Strand, string>;

export const STRAND_LABEL: Record<Strand, string> = {
  prepare: 'Prepare',
  pursue: 'Pursue',
  prevent: 'Prevent',
  protect: 'Protect',
};

/** What each strand is for, in the guidance's words; shown in help and on the plan card. */
export const STRAND_PURPOSE: Record<Strand, string> = {
  prepare: 'Reduce the impact of SOC by understanding the threat and working with communities',
  pursue: 'Disrupt and dismantle OCGs and their business models',
  prevent: 'Stop people engaging in SOC in the first place',
  protect: 'Increase protection against SOC',
};
