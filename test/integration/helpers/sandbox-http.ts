import type { Sandbox } from '../../../src/sandbox';

// Plain-fetch helpers for the sandbox's own REST tests (the gateway tests drive it through the real SDKs).

export const API = 'api-version=2025-10-01';

export function templatePath(sb: Sandbox, name: string, rg = sb.resourceGroup): string {
  return `/subscriptions/${sb.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
}

export interface JsonReply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function arm(sb: Sandbox, method: string, pathAndQuery: string, body?: unknown): Promise<JsonReply> {
  const url = pathAndQuery.startsWith('http') ? pathAndQuery : `${sb.armEndpoint}${pathAndQuery}`;
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function getTemplate(sb: Sandbox, name: string, rg = sb.resourceGroup): Promise<any> {
  const r = await arm(sb, 'GET', `${templatePath(sb, name, rg)}?${API}`);
  if (r.status !== 200) throw new Error(`GET ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Polls until `check` returns a value; the test's own timeout bounds it. */
export async function waitFor<T>(check: () => Promise<T | undefined>, intervalMs = 25): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The blob URL of a log named in a status message, on the sandbox's blob endpoint. */
export function sandboxLogUrl(sb: Sandbox, message: string): string {
  const https = /https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/(packerlogs\/[^\s]+?\/customization\.log)/.exec(message);
  if (https) return `${sb.blobEndpoint}/${https[1]}/${https[2]}`;
  const armPath = /storageAccounts\/([a-z0-9]{3,24})\/blobServices\/default\/containers\/(packerlogs\/[^\s]+?\/customization\.log)/.exec(message);
  if (armPath) return `${sb.blobEndpoint}/${armPath[1]}/${armPath[2]}`;
  throw new Error(`no log location in: ${message}`);
}

export function logFolder(message: string): string {
  const m = /packerlogs\/([0-9a-f-]{36})\/customization\.log/.exec(message);
  if (!m) throw new Error(`no log folder in: ${message}`);
  return m[1];
}
