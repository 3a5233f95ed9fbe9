import { bearerTokenAuthenticationPolicyName, createHttpHeaders, createPipelineRequest, RestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { AzureTarget } from '../../src/config';
import { ARM_RETRY_POLICY_NAME, armRetryStrategy, createAzureClients, DEFAULT_TUNING, ERROR_BODY_POLICY_NAME } from '../../src/azure/clients';
import { GATEWAY_PERMISSIONS, IMAGE_BUILDER_ACTIONS, REQUIRED_ACTION } from '../../src/azure/permissions';

const SUB = '00000000-0000-4000-8000-00000000a1b0';
const sandbox = (over: Partial<Extract<AzureTarget, { kind: 'sandbox' }>> = {}): AzureTarget => ({
  kind: 'sandbox',
  origin: 'external',
  armEndpoint: 'http://127.0.0.1:7001',
  blobEndpoint: 'http://127.0.0.1:7002',
  storageKey: Buffer.from('k').toString('base64'),
  subscriptionId: SUB,
  resourceGroups: ['aib-sandbox'],
  ...over,
});

const policyNames = (p: { getOrderedPolicies(): { name: string }[] }) => p.getOrderedPolicies().map((x) => x.name);

describe('createAzureClients (sandbox)', () => {
  it('drops the bearer policy and swaps in the bounded retry policy', () => {
    const clients = createAzureClients(sandbox());
    for (const pipeline of [clients.imageBuilder.pipeline, clients.storageManagement(SUB).pipeline]) {
      const names = policyNames(pipeline);
      expect(names).not.toContain(bearerTokenAuthenticationPolicyName);
      expect(names).not.toContain('defaultRetryPolicy');
      expect(names).toContain(ARM_RETRY_POLICY_NAME);
      expect(names).toContain(ERROR_BODY_POLICY_NAME);
    }
  });

  it('builds path-style account URLs on the sandbox blob endpoint', () => {
    const clients = createAzureClients(sandbox({ blobEndpoint: 'http://127.0.0.1:7002/' }));
    expect(clients.blobAccountUrl('xkzlyccln2x4qrzk8r60s8oc')).toBe('http://127.0.0.1:7002/xkzlyccln2x4qrzk8r60s8oc');
    expect(clients.blobService('xkzlyccln2x4qrzk8r60s8oc').url).toContain('http://127.0.0.1:7002/xkzlyccln2x4qrzk8r60s8oc');
  });

  it('refuses a non-loopback sandbox and an incomplete one', () => {
    expect(() => createAzureClients(sandbox({ armEndpoint: 'http://10.1.2.3:80' }))).toThrow(expect.objectContaining({ code: 'misconfigured' }));
    expect(() => createAzureClients(sandbox({ storageKey: undefined }))).toThrow(expect.objectContaining({ code: 'misconfigured' }));
  });
});

describe('createAzureClients (azure)', () => {
  const azure: AzureTarget = {
    kind: 'azure',
    subscriptionId: SUB,
    resourceGroups: [],
    blobEndpointTemplate: 'https://{account}.blob.core.windows.net',
  };

  it('keeps the bearer policy and uses https account URLs', () => {
    const clients = createAzureClients({ ...azure, clientId: '11111111-1111-1111-1111-111111111111' });
    expect(policyNames(clients.imageBuilder.pipeline)).toContain(bearerTokenAuthenticationPolicyName);
    expect(policyNames(clients.storageManagement(SUB).pipeline)).toContain(bearerTokenAuthenticationPolicyName);
    expect(clients.blobAccountUrl('xkzlyccln2x4qrzk8r60s8oc')).toBe('https://xkzlyccln2x4qrzk8r60s8oc.blob.core.windows.net');
  });

  it('refuses a plain-http blob endpoint template and bad account names', () => {
    expect(() => createAzureClients({ ...azure, blobEndpointTemplate: 'http://{account}.example' })).toThrow(
      expect.objectContaining({ code: 'misconfigured' }),
    );
    expect(() => createAzureClients(azure).blobAccountUrl('evil.example.com/x')).toThrow(expect.objectContaining({ code: 'invalid-name' }));
  });
});

describe('armRetryStrategy', () => {
  const strategy = armRetryStrategy({ ...DEFAULT_TUNING, retryDelayMs: 100, maxRetryDelayMs: 1000, maxRetryAfterMs: 10_000 });
  const request = createPipelineRequest({ url: 'https://management.azure.com/x' });
  const response = (status: number, headers: Record<string, string> = {}): PipelineResponse => ({
    status,
    headers: createHttpHeaders(headers),
    request,
  });

  it('waits exactly what Retry-After asks on 429 and 503', () => {
    expect(strategy.retry({ retryCount: 0, response: response(429, { 'retry-after': '1' }) })).toEqual({ retryAfterInMs: 1000 });
    expect(strategy.retry({ retryCount: 0, response: response(503, { 'retry-after-ms': '250' }) })).toEqual({ retryAfterInMs: 250 });
  });

  it('never retries immediately, even on Retry-After: 0', () => {
    expect(strategy.retry({ retryCount: 0, response: response(429, { 'retry-after': '0' }) }).retryAfterInMs).toBeGreaterThanOrEqual(50);
  });

  it('gives up on a Retry-After longer than the cap, leaving a throttled error for the caller', () => {
    expect(strategy.retry({ retryCount: 0, response: response(429, { 'retry-after': '3600' }) })).toEqual({ skipStrategy: true });
  });

  it('backs off exponentially within bounds on 5xx and dropped connections', () => {
    const first = strategy.retry({ retryCount: 0, response: response(500) }).retryAfterInMs ?? -1;
    const later = strategy.retry({ retryCount: 6, response: response(502) }).retryAfterInMs ?? -1;
    expect(first).toBeGreaterThanOrEqual(80);
    expect(first).toBeLessThanOrEqual(120);
    expect(later).toBeGreaterThanOrEqual(800);
    expect(later).toBeLessThanOrEqual(1200);
    const dropped = new RestError('socket hang up', { code: 'ECONNRESET', request });
    expect(strategy.retry({ retryCount: 1, responseError: dropped }).retryAfterInMs).toBeGreaterThan(0);
  });

  it('does not retry client errors', () => {
    for (const status of [400, 403, 404, 409, 501]) {
      expect(strategy.retry({ retryCount: 0, response: response(status) })).toEqual({ skipStrategy: true });
    }
  });
});

describe('permissions', () => {
  it('lists only image template actions in IMAGE_BUILDER_ACTIONS, each once', () => {
    expect(new Set(IMAGE_BUILDER_ACTIONS).size).toBe(IMAGE_BUILDER_ACTIONS.length);
    for (const action of IMAGE_BUILDER_ACTIONS) expect(action.startsWith('Microsoft.VirtualMachineImages/imageTemplates/')).toBe(true);
  });

  it('covers every action a gateway call needs', () => {
    const granted = new Set<string>([...GATEWAY_PERMISSIONS.actions, ...GATEWAY_PERMISSIONS.dataActions]);
    for (const action of Object.values(REQUIRED_ACTION)) expect(granted.has(action)).toBe(true);
  });
});
