/** One field an event changed in its aggregate's state: where, and its value before and after (null: absent). */
export type StateChange = Readonly<{ path: string; before: unknown; after: unknown }>;

/**
 * The fields that tell apart the items of a list, most specific first: a list whose items all carry one of them,
 * each a distinct string, is compared item by item under that id (`users.u-1.permissions`), not as a whole.
 */
const ITEM_KEYS = [
  'invitationId',
  'callbackId',
  'contactId',
  'messageId',
  'incidentId',
  'updateId',
  'userId',
  'serviceId',
  'invoiceId',
] as const;

type Plain = Readonly<Record<string, unknown>>;

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether every item is an object with a distinct string under `key`. */
const itemKeyOf = (items: readonly unknown[], key: string): boolean => {
  const ids = items.map((item) => (isPlainObject(item) ? item[key] : undefined));
  return ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length;
};

/** Equal values; an absent field and a `null` one are the same (both read as null). */
const sameValue = (a: unknown, b: unknown): boolean => {
  if ((a ?? null) === (b ?? null)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return false;
};

const keyed = (items: readonly unknown[], key: string): Map<string, unknown> =>
  new Map(items.map((item) => [(item as Plain)[key] as string, item]));

const collect = (before: unknown, after: unknown, path: readonly string[], out: StateChange[]): void => {
  if (sameValue(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    // In name order: a state read back from jsonb has its keys in another order than one folded in memory, and
    // the changes of one event must read the same however its state was come by.
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) collect(before[key], after[key], [...path, key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length + after.length > 0) {
    const key = ITEM_KEYS.find((candidate) => itemKeyOf(before, candidate) && itemKeyOf(after, candidate));
    if (key !== undefined) {
      const was = keyed(before, key);
      const now = keyed(after, key);
      for (const id of new Set([...was.keys(), ...now.keys()])) {
        collect(was.get(id), now.get(id), [...path, id], out);
      }
      return;
    }
  }
  out.push({ path: path.join('.'), before: before ?? null, after: after ?? null });
};

/**
 * What changed between two states of an aggregate, field by field: nested objects are walked, lists of items
 * with ids compared item by item, anything else (a status, a list of permissions) reported whole. A field that
 * appears or disappears has `null` on its missing side; an item added or removed is one change at its id.
 */
export const stateChanges = (before: unknown, after: unknown): StateChange[] => {
  const out: StateChange[] = [];
  collect(before, after, [], out);
  return out;
};
