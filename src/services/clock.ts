/** Services take the time from here, so tests can stand at a fixed moment. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
