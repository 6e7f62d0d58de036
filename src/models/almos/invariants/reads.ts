/**
 * What the ALMOS invariants read, as footprint patterns (`*` = any one segment): every field of the
 * processes and their copies except the locks, and the page descriptors except their busylock. A step
 * that only takes or releases a lock, or touches thread-local data, changes none of these, so the
 * invariants reading only them are not re-checked after it (engine: Instance.checkAfterStep).
 */
export const procReads: readonly string[] = [
  'proc.*.pid',
  'proc.*.ref',
  'proc.*.owner',
  'proc.*.parent',
  'proc.*.copies',
  'proc.*.alive',
  'proc.*.copy.*.gpt',
  'proc.*.copy.*.vsl',
];

export const pageReads: readonly string[] = ['page.*.free', 'page.*.forks', 'page.*.refcount'];
