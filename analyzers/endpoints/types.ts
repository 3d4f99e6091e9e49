/** What every framework module hands back before ids, components and spec matching are applied. */
import type { Details, Endpoint } from '../../src/model/schema.js';

export interface Found {
  protocol: Endpoint['protocol'];
  method: string;
  path: string;
  file: string;
  line: number;
  framework: string;
  handler?: string;
  summary?: string;
  tags?: string[];
  /** Authentication mechanisms that apply (middleware, guards, hooks, directives). */
  mechanisms: string[];
  /** True when the route explicitly opts out of authentication (`@Public()`, optional auth). */
  optOut?: boolean;
  roles?: string[];
  /** Extra evidence (mount points, module registrations). */
  more?: { file: string; line: number }[];
  details?: Details;
  /**
   * gRPC: where the service is registered (the serving code), or null when only a `.proto`
   * declares it. The component is then the registering one, never the `.proto` file's.
   */
  servedAt?: { file: string; line: number } | null;
  /** The component, when decided by something other than `file` (the registration of a service). */
  component?: string;
  /**
   * Routes in another language than TypeScript: the folder of the unit of code declaring it (the
   * nearest folder with a build file such as go.mod or requirements.txt), which keeps two services'
   * same route apart when no workspace package owns them.
   */
  unit?: string;
}
