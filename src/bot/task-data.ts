import { z } from 'zod';

/**
 * What task cards send back (Action.Execute data merged with the card's inputs). Strict: a field
 * the card does not have, or a value of the wrong type, is refused before anything is read or
 * written. Inputs arrive as strings; an empty one means "not given".
 */
const Ref = z.string().regex(/^(G|PREP|PURS|PREV|PROT)-[1-9]\d{0,8}$/);
const Etag = z.string().min(1).max(128);
const Op = z.string().min(1).max(64);
const Typed = (max: number) => z.string().max(max);

export const TaskButton = z.object({ ref: Ref, etag: Etag, op: Op }).strict();
export const TaskRefresh = z.object({ ref: Ref }).strict();
/** Show more on `my tasks` or `overdue`: where the page shown ended. */
export const TasksMore = z
  .object({
    list: z.enum(['mine', 'overdue']),
    from: z.number().int().min(2).max(1_000_000),
    ref: Ref,
    due: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .strict();
export const TaskShow = z.object({ verb: z.literal('task.show'), ref: Ref }).strict();
export const BlockData = TaskButton.extend({ reason: Typed(1000) }).strict();
export const DoneData = TaskButton.extend({ outcome: Typed(1000), impactAfter: Typed(40).optional() }).strict();
export const NoteData = TaskButton.extend({ note: Typed(1000) }).strict();
export const CloseData = TaskButton.extend({ why: Typed(1000) }).strict();
export const ReassignData = TaskButton.extend({ assignee: Typed(200) }).strict();

const FormBase = z.object({
  districtId: z.string().min(1).max(64),
  op: Op,
  text: Typed(2000),
  agency: Typed(64).optional(),
  owner: Typed(64).optional(),
  due: Typed(40).optional(),
  classification: Typed(40).optional(),
  /** The required "contains no personal data" toggle: "true" when ticked. */
  noPersonalData: Typed(10).optional(),
});
export const GapForm = FormBase.strict();
export const ActionForm = FormBase.extend({
  strand: Typed(20).optional(),
  impactMeasure: Typed(600).optional(),
  impactBefore: Typed(40).optional(),
  fromGap: Typed(20).optional(),
  /** Set on a form opened by Make action: the recommendation the action takes forward. */
  recommendation: z.number().int().positive().max(999).optional(),
}).strict();
export type ActionFormData = z.infer<typeof ActionForm>;

/** An input left empty. */
export function given(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}
