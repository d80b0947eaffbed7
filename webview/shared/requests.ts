// A page's requests to the host (src/shared/ipc.ts): `send` posts the message with a fresh requestId and resolves
// when the host answers `done`, or rejects with the host's error for it (a RequestError naming the request), so a
// failed Preview and a failed Refresh are told apart. The error banner still shows every error the host posts.
import type { ErrorMessage, RequestDone } from '../../src/shared/ipc';

/** The host's error for one request. */
export class RequestError extends Error {
  constructor(
    message: string,
    /** The type of the message that failed ("preview", "refresh"). */
    readonly request: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

interface Pending {
  readonly type: string;
  resolve(): void;
  reject(error: RequestError): void;
}

export class Requests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: unknown) => void) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.answer(event.data));
  }

  /** Posts `message` as a request; settles with the host's answer to it. */
  send(message: { readonly type: string }): Promise<void> {
    const requestId = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(requestId, { type: message.type, resolve, reject });
      this.post({ ...message, requestId });
    });
  }

  private answer(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const answer = data as Partial<RequestDone> | Partial<ErrorMessage>;
    if (typeof answer.requestId !== 'number') return;
    const pending = this.pending.get(answer.requestId);
    if (!pending) return;
    if (answer.type === 'done') {
      this.pending.delete(answer.requestId);
      pending.resolve();
    } else if (answer.type === 'error') {
      this.pending.delete(answer.requestId);
      pending.reject(new RequestError(typeof answer.message === 'string' ? answer.message : 'The request failed.', pending.type));
    }
  }
}
