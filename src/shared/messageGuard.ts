// The pages' check on what the host posts: an object whose `type` is one of the protocol's host message types.
// (What a page posts to the host is parsed whole with its protocol's zod schema, src/shared/<page>Schema.ts.)

/** A type guard for a protocol's messages, by their `type`. */
export function messageGuard<Message extends { readonly type: string }>(types: readonly Message['type'][]): (value: unknown) => value is Message {
  const known: readonly string[] = types;
  return (value: unknown): value is Message => {
    if (typeof value !== 'object' || value === null) return false;
    const type = (value as { type?: unknown }).type;
    return typeof type === 'string' && known.includes(type);
  };
}
