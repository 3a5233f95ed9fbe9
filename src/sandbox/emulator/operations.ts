import { newGuid } from '../ids';

// Long-running operation records behind the Azure-AsyncOperation and Location URLs the emulator hands out.

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface OperationRecord {
  /** Upper-case, like the ids AIB returns in its async-operation bodies. */
  name: string;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  error?: { code: string; message: string };
}

export class OperationBook {
  private readonly ops = new Map<string, OperationRecord>();

  create(): OperationRecord {
    const op: OperationRecord = { name: newGuid().toUpperCase(), status: 'InProgress', startTime: new Date().toISOString() };
    this.ops.set(op.name.toLowerCase(), op);
    return op;
  }

  finish(op: OperationRecord, status: Exclude<OperationStatus, 'InProgress'>, error?: { code: string; message: string }): void {
    op.status = status;
    op.endTime = new Date().toISOString();
    if (error) op.error = error;
  }

  get(name: string): OperationRecord | undefined {
    return this.ops.get(name.toLowerCase());
  }
}

/** Where callers poll an operation; `base` is the endpoint the caller reached us on. */
export function operationUrls(base: string, subscriptionId: string, location: string, op: OperationRecord, apiVersion: string) {
  const prefix = `${base}/subscriptions/${subscriptionId}/providers/Microsoft.VirtualMachineImages/locations/${location}`;
  const q = `?api-version=${encodeURIComponent(apiVersion)}`;
  return {
    asyncOperation: `${prefix}/operations/${op.name}${q}`,
    location: `${prefix}/operationResults/${op.name}${q}`,
  };
}

export function operationBody(subscriptionId: string, location: string, op: OperationRecord): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.VirtualMachineImages/locations/${location}/operations/${op.name}`,
    name: op.name,
    status: op.status,
    startTime: op.startTime,
    ...(op.endTime ? { endTime: op.endTime } : {}),
    ...(op.error ? { error: op.error } : {}),
  };
}
