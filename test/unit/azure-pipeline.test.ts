import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAzureGateways, type AzureGateways } from '../../src/azure';

// The gateways' own pipeline decisions against a tiny loopback stub (no sandbox): run() must not wait for the
// build, and a failed list page must keep ARM's message. The stub answers each request from `reply`.

const SUB = '00000000-0000-4000-8000-00000000a1b0';
let server: http.Server;
let base = '';
let seen: string[] = [];
let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined;
let gw: AzureGateways;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url?.split('?')[0]}`);
    reply(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gw = createAzureGateways(
    { kind: 'sandbox', origin: 'external', armEndpoint: base, blobEndpoint: base, storageKey: 'a2V5', subscriptionId: SUB, resourceGroups: [] },
    { tuning: { retryDelayMs: 10, maxRetryDelayMs: 20 } },
  );
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen = [];
});

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

it('run() returns once the POST is accepted and never polls the operation (which here never ends)', async () => {
  reply = (req, res) => {
    if (req.method === 'POST') {
      res.writeHead(202, {
        'azure-asyncoperation': `${base}/subscriptions/${SUB}/providers/Microsoft.VirtualMachineImages/locations/westeurope/operations/op1?api-version=2025-10-01`,
        location: `${base}/subscriptions/${SUB}/providers/Microsoft.VirtualMachineImages/locations/westeurope/operationResults/op1`,
        'retry-after': '1',
      });
      res.end();
      return;
    }
    json(res, 200, { name: 'op1', status: 'InProgress' });
  };
  const accepted = await gw.templates.run('rg', 'tpl');
  expect(accepted).toMatchObject({ resourceGroup: 'rg', name: 'tpl', status: 'running' });
  expect(seen).toEqual([`POST /subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/tpl/run`]);
});

it('a 403 on a list page keeps the ARM message, so the missing action is named', async () => {
  reply = (_req, res) =>
    json(res, 403, {
      error: {
        code: 'AuthorizationFailed',
        message: `The client 'bot' does not have authorization to perform action 'Microsoft.VirtualMachineImages/imageTemplates/read' over scope '/subscriptions/${SUB}' or the scope is invalid.`,
      },
    });
  await expect(gw.templates.list()).rejects.toMatchObject({
    code: 'forbidden',
    serviceCode: 'AuthorizationFailed',
    missingAction: 'Microsoft.VirtualMachineImages/imageTemplates/read',
    scope: `/subscriptions/${SUB}`,
  });
});

it('sends no Authorization header to the sandbox', async () => {
  let authorization: string | undefined = 'unset';
  reply = (req, res) => {
    authorization = req.headers.authorization;
    json(res, 404, { error: { code: 'ResourceNotFound', message: 'gone' } });
  };
  await expect(gw.templates.get('rg', 'tpl')).rejects.toMatchObject({ code: 'not-found' });
  expect(authorization).toBeUndefined();
});
