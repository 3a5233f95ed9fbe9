import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { AzureGatewayError, capturedErrorBodies, LOG_READER_ROLE, redactSecrets, toGatewayError } from '../../src/azure/errors';

const arm = { surface: 'arm' as const, resource: 'aib-sandbox/win2022-base' };

function restError(status: number | undefined, body: { code?: string; message?: string } | undefined, headers: Record<string, string> = {}, code?: string) {
  const request = createPipelineRequest({ url: 'https://management.azure.com/x' });
  const err = new RestError(body?.message ?? `status ${status}`, {
    statusCode: status,
    code: code ?? body?.code,
    request,
    response: status === undefined ? undefined : { status, headers: createHttpHeaders(headers), request },
  });
  if (body) err.details = { error: body };
  return err;
}

describe('toGatewayError', () => {
  it('keeps the ARM code and message of a 404', () => {
    const message = "The Resource 'Microsoft.VirtualMachineImages/imageTemplates/nope' under resource group 'aib-sandbox' was not found.";
    const e = toGatewayError(restError(404, { code: 'ResourceNotFound', message }), arm);
    expect(e).toBeInstanceOf(AzureGatewayError);
    expect(e.code).toBe('not-found');
    expect(e.status).toBe(404);
    expect(e.serviceCode).toBe('ResourceNotFound');
    expect(e.serviceMessage).toBe(message);
    expect(e.resource).toBe('aib-sandbox/win2022-base');
  });

  it('names the missing action and scope of an AuthorizationFailed 403', () => {
    const message =
      "The client 'bot' with object id '11111111-2222-3333-4444-555555555555' does not have authorization to perform action " +
      "'Microsoft.VirtualMachineImages/imageTemplates/run/action' over scope '/subscriptions/s/resourceGroups/aib-sandbox/providers/" +
      "Microsoft.VirtualMachineImages/imageTemplates/win2022-base' or the scope is invalid.";
    const e = toGatewayError(restError(403, { code: 'AuthorizationFailed', message }), {
      ...arm,
      requiredAction: 'Microsoft.VirtualMachineImages/imageTemplates/run/action',
    });
    expect(e.code).toBe('forbidden');
    expect(e.missingAction).toBe('Microsoft.VirtualMachineImages/imageTemplates/run/action');
    expect(e.scope).toBe('/subscriptions/s/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base');
    expect(e.requiredAction).toBe('Microsoft.VirtualMachineImages/imageTemplates/run/action');
  });

  it('leaves missingAction empty when ARM does not name one', () => {
    const e = toGatewayError(restError(403, { code: 'Forbidden', message: 'Nope.' }), arm);
    expect(e.code).toBe('forbidden');
    expect(e.missingAction).toBeUndefined();
  });

  it('reads Retry-After (seconds, ms and HTTP date) into a throttled error', () => {
    expect(toGatewayError(restError(429, { code: 'TooManyRequests' }, { 'retry-after': '7' }), arm)).toMatchObject({
      code: 'throttled',
      retryAfterSeconds: 7,
    });
    expect(toGatewayError(restError(429, { code: 'TooManyRequests' }, { 'retry-after-ms': '1500' }), arm).retryAfterSeconds).toBe(2);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = toGatewayError(restError(429, undefined, { 'retry-after': date }), arm).retryAfterSeconds ?? -1;
    expect(fromDate).toBeGreaterThanOrEqual(58);
    expect(fromDate).toBeLessThanOrEqual(60);
  });

  it('tells conflict from operation-not-allowed', () => {
    const conflict = restError(409, { code: 'Conflict', message: 'Update/Upgrade of image templates is currently not supported' });
    expect(toGatewayError(conflict, arm).code).toBe('conflict');
    const running = restError(409, { code: 'OperationNotAllowed', message: 'Cannot delete while a build is running.' });
    expect(toGatewayError(running, arm).code).toBe('operation-not-allowed');
  });

  it('maps 5xx and lost connections to service-unavailable', () => {
    expect(toGatewayError(restError(503, { code: 'ServiceUnavailable' }, { 'retry-after': '3' }), arm)).toMatchObject({
      code: 'service-unavailable',
      retryAfterSeconds: 3,
    });
    expect(toGatewayError(restError(500, { code: 'InternalServerError' }), arm).code).toBe('service-unavailable');
    expect(toGatewayError(restError(undefined, undefined, {}, 'ECONNRESET'), arm).code).toBe('service-unavailable');
    expect(toGatewayError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), arm).code).toBe(
      'service-unavailable',
    );
  });

  it('maps InvalidResourceName to invalid-name and other 400s to unexpected', () => {
    expect(toGatewayError(restError(400, { code: 'InvalidResourceName', message: 'bad' }), arm).code).toBe('invalid-name');
    expect(toGatewayError(restError(400, { code: 'InvalidApiVersionParameter', message: 'bad' }), arm).code).toBe('unexpected');
  });

  it('maps blob 403 to log-forbidden naming the role and the staging group', () => {
    const e = toGatewayError(restError(403, undefined, {}, 'AuthorizationPermissionMismatch'), {
      surface: 'blob',
      resource: 'acct/packerlogs/f/customization.log',
      stagingResourceGroup: 'IT_aib-sandbox_win2022-base_0f0f',
    });
    expect(e.code).toBe('log-forbidden');
    expect(e.requiredRole).toBe(LOG_READER_ROLE);
    expect(e.message).toContain('Storage Blob Data Reader');
    expect(e.message).toContain('IT_aib-sandbox_win2022-base_0f0f');
    expect(e.serviceCode).toBe('AuthorizationPermissionMismatch');
  });

  it('maps blob 404 to log-not-found, but an ARM 404 stays not-found', () => {
    expect(toGatewayError(restError(404, undefined, {}, 'BlobNotFound'), { surface: 'blob' }).code).toBe('log-not-found');
    expect(toGatewayError(restError(404, undefined, {}, 'BlobNotFound'), { surface: 'arm' }).code).toBe('not-found');
  });

  it('recognises a failed long-running operation and identity failures', () => {
    expect(toGatewayError(new Error('The long-running operation has failed. 500. boom'), arm).code).toBe('operation-failed');
    const identity = Object.assign(new Error('no credential'), { name: 'CredentialUnavailableError' });
    expect(toGatewayError(identity, arm).code).toBe('unauthenticated');
  });

  it('recovers the ARM message of a failed list page from the captured body', () => {
    const request = createPipelineRequest({ url: 'https://management.azure.com/list' });
    const body = JSON.stringify({
      error: { code: 'AuthorizationFailed', message: "x does not have authorization to perform action 'Microsoft.VirtualMachineImages/imageTemplates/read' over scope '/subscriptions/s'." },
    });
    capturedErrorBodies.set(request, body);
    const err = new RestError('Pagination failed with unexpected statusCode 403', { statusCode: 403, code: 'AuthorizationFailed', request });
    const e = toGatewayError(err, arm);
    expect(e.code).toBe('forbidden');
    expect(e.missingAction).toBe('Microsoft.VirtualMachineImages/imageTemplates/read');
  });

  it('returns an AzureGatewayError unchanged', () => {
    const original = new AzureGatewayError('invalid-name', 'bad');
    expect(toGatewayError(original, arm)).toBe(original);
  });

  it('strips SAS signatures from every message it keeps', () => {
    const url = 'https://acct.blob.core.windows.net/packerlogs/f/customization.log?sv=2022-11-02&sig=AbC%2Bdef123%3D&se=2030';
    const e = toGatewayError(restError(404, { code: 'ResourceNotFound', message: `missing ${url}` }), arm);
    expect(e.message).not.toContain('AbC');
    expect(e.serviceMessage).not.toContain('AbC');
    expect(e.serviceMessage).toContain('customization.log?[SAS redacted]');
    expect(JSON.stringify(e)).not.toContain('AbC%2Bdef123');
  });
});

describe('redactSecrets', () => {
  it('removes signatures, account keys and bearer tokens', () => {
    const text = 'a?sig=xyz b&SIG=q DefaultEndpointsProtocol=https;AccountKey=abc==;EndpointSuffix=x Authorization: Bearer eyJ0.abc-def';
    const out = redactSecrets(text);
    expect(out).not.toMatch(/xyz|sig=q|abc==|eyJ0/);
    expect(out).toContain('AccountKey=[redacted]');
  });
});
