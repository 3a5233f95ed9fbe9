import type { FaultController, FaultRule } from './contract';

// One book of fault rules shared by the ARM emulator and the blob proxy; each side asks for the first rule that
// matches its request. Rules apply in the order they were added.

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultBook implements FaultController {
  private rules: ActiveRule[] = [];
  private applied = 0;

  add(rule: FaultRule): void {
    if (rule.target !== 'arm' && rule.target !== 'blob') throw new TypeError(`fault target must be 'arm' or 'blob', got ${String(rule.target)}`);
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new TypeError(`fault times must be a positive whole number, got ${rule.times}`);
    }
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
    this.applied = 0;
  }

  hits(): number {
    return this.applied;
  }

  /** Finds the first live rule for this request and counts it as applied. */
  take(target: FaultRule['target'], method: string, path: string): FaultRule | undefined {
    const m = method.toUpperCase();
    const found = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        r.rule.target === target &&
        (r.rule.method === undefined || r.rule.method.toUpperCase() === m) &&
        (r.rule.pathIncludes === undefined || path.includes(r.rule.pathIncludes)),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    this.applied += 1;
    return found.rule;
  }
}

/** The error code a fault answers with when the rule names none; blob 403s use Storage's RBAC wording. */
export function defaultFaultCode(target: FaultRule['target'], status: number): string {
  switch (status) {
    case 429:
      return 'TooManyRequests';
    case 503:
      return target === 'blob' ? 'ServerBusy' : 'ServiceUnavailable';
    case 403:
      return target === 'blob' ? 'AuthorizationPermissionMismatch' : 'AuthorizationFailed';
    case 404:
      return target === 'blob' ? 'BlobNotFound' : 'ResourceNotFound';
    case 409:
      return 'Conflict';
    case 400:
      return 'BadRequest';
    default:
      return 'InternalServerError';
  }
}

/**
 * The RBAC action ARM would have checked for this request, for 403 messages that name it like ARM's do:
 * read/write/delete on the resource type in the path, or `<type>/run/action` for POST …/run.
 */
export function armActionFor(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const p = segments.findIndex((s) => s.toLowerCase() === 'providers');
  if (p < 0 || p + 2 >= segments.length) return 'Microsoft.Resources/subscriptions/resourceGroups/read';
  const namespace = segments[p + 1];
  // Resource types alternate with names after the namespace: type, name, child type, name…
  const types = segments.slice(p + 2).filter((_, i) => i % 2 === 0);
  const m = method.toUpperCase();
  if (m === 'POST' && segments.length % 2 === 1) {
    const action = types.pop();
    return `${namespace}/${types.join('/')}/${action}/action`;
  }
  const verb = m === 'GET' || m === 'HEAD' ? 'read' : m === 'DELETE' ? 'delete' : 'write';
  return `${namespace}/${types.join('/')}/${verb}`;
}

export function defaultFaultMessage(target: FaultRule['target'], status: number, method = 'GET', path = '/'): string {
  if (status === 403 && target === 'arm') {
    return `The client 'sandbox-user@contoso.example' with object id '3f2c8a61-0d4e-4b7a-9c15-7e6d5b4a3c21' does not have authorization to perform action '${armActionFor(method, path)}' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials. (injected by the sandbox)`;
  }
  switch (status) {
    case 429:
      return 'The request is being throttled as the limit has been reached for operation type. (injected by the sandbox)';
    case 503:
      return target === 'blob'
        ? 'The server is currently unable to receive requests. Please retry your request. (injected by the sandbox)'
        : 'The service is temporarily unavailable. Please retry later. (injected by the sandbox)';
    case 403:
      return 'This request is not authorized to perform this operation using this permission. (injected by the sandbox)';
    default:
      return `The sandbox injected a ${status} answer.`;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
