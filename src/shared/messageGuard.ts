// The one check every page's protocol uses on what crosses the webview boundary: an object whose `type` is one
// of the protocol's message types. (The fields are checked where a message is handled.)

/** A type guard for a protocol's messages, by their `type`. */
export function messageGuard<Message extends { readonly type: string }>(types: readonly Message['type'][]): (value: unknown) => value is Message {
  const known: readonly string[] = types;
  return (value: unknown): value is Message => {
    if (typeof value !== 'object' || value === null) return false;
    const type = (value as { type?: unknown }).type;
    return typeof type === 'string' && known.includes(type);
  };
}
