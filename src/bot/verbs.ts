/**
 * Card verbs: the one list shared by the templates in cards/ and the routes that answer them
 * (a test checks that every verb a template uses is here and has a route). A verb names the intent.
 */
export const VERB = {
  /** Action.Submit { districtId }: a district's summary card, as a new message. */
  districtSummary: 'district.summary',
  /** Action.Submit { districtId }: the district's intelligence gaps. */
  districtGaps: 'district.gaps',
  /** Action.Submit { districtId }: the district's 4P plan. */
  districtPlan: 'district.plan',
  /**
   * The summary, gaps and plan cards' Universal Actions `refresh`: Action.Execute
   * { districtId, stamp } (the district's version stamp the card was made from), answered with
   * the viewer's own card as it is now.
   */
  summaryRefresh: 'summary.refresh',
  gapsRefresh: 'gaps.refresh',
  planRefresh: 'plan.refresh',
  /** Action.Submit { districtId }: the district profile's recommendations. */
  districtRecommendations: 'district.recommendations',
  /** Action.Execute { districtId, etag }: record the six-monthly review; the card refreshes in place. */
  profileReview: 'profile.review',
  /** Action.Submit { text }: run a suggested command as if it had been typed. */
  commandRun: 'command.run',
  /** Action.Execute, the task card's buttons: { ref, etag, op } plus the button's inputs. */
  taskAccept: 'task.accept',
  taskProgress: 'task.progress',
  taskBlock: 'task.block',
  taskDone: 'task.done',
  taskNote: 'task.note',
  /** { ref, etag, op, reason }: a gap closed as no longer needed, an action cancelled. */
  taskClose: 'task.close',
  taskReassign: 'task.reassign',
  /** Action.Execute { ref }: the task card's refresh, answered with the viewer's own view. */
  taskRefresh: 'task.refresh',
  /** Action.Execute { list, from, ref, due? }: the next page of `my tasks` or `overdue`, in place. */
  tasksMore: 'tasks.more',
  /** Action.Submit { ref }: a task card, as a new message (from `my tasks`, `overdue`). */
  taskShow: 'task.show',
  /** Action.Execute { districtId, op } plus the form's inputs: create from the form card. */
  gapCreate: 'gap.create',
  /** Action.Submit { districtId }: open the new-gap or new-action form for a district. */
  gapForm: 'gap.form',
  actionForm: 'action.form',
  actionCreate: 'action.create',
  /** Action.Execute { etag } plus the form's leadDays and escalationDays: save the partnership's reminder settings. */
  reminderSettings: 'reminders.settings',
  /** Action.Execute {}: a stranger asks for access (answered by the membership guard, not a route). */
  accessRequest: 'access.request',
  /** Action.Execute { aadObjectId } plus agencyId, role, clearance: an admin approves a request. */
  accessApprove: 'access.approve',
  /** Action.Execute { aadObjectId } plus an optional reason: an admin declines a request. */
  accessDecline: 'access.decline',
  /**
   * Action.Execute { districtId, number }: a coordinator's Make action on a recommendation; the
   * action form, pre-filled from it, answered to the presser alone.
   */
  recommendationAct: 'recommendation.act',
} as const;

export type Verb = (typeof VERB)[keyof typeof VERB];
