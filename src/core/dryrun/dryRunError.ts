/** A dry run that cannot start: the message names the fix. */
export class DryRunError extends Error {}
