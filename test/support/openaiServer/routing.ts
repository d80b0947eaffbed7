import type { ParsedBody, Reply } from './http';
import type { ServerContext } from './context';
import type { Fault } from './faults';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteRequest {
  readonly method: string;
  /** The path below /v1, e.g. `/files/file-000001/content`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: ParsedBody;
  readonly headers: Readonly<Record<string, string>>;
  /** A fault the route itself must act out (a wrong-schema reply), taken from the queue for this request. */
  readonly fault?: Fault;
  /** Came in the Azure OpenAI form (`/openai/...`): the routes whose rules differ on Azure (graders) read it. */
  readonly azure?: boolean;
}

export interface Route {
  readonly method: HttpMethod;
  /** `/files/:id/content`: `:name` segments become params. */
  readonly pattern: string;
  readonly handle: (request: RouteRequest, context: ServerContext) => Reply | Promise<Reply>;
}

interface CompiledRoute {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { route, regex: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const { route, regex, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1])));
      return { route, params };
    }
    return undefined;
  }
}
