import { classify, scanText, templateFacts, type Diagnosis } from '../../src/diagnosis';
import { SUPPORT_SERVICES, SupportError, supportPortalUrl, type SupportGateway, type SupportTicketRequest } from '../../src/azure/support';
import {
  DESCRIPTION_MAX,
  TITLE_MAX,
  buildSupportPrefill,
  invalidFields,
  readSupportForm,
  submitSupportCase,
  ticketName,
  type SupportPrefill,
} from '../../src/usecases/support-case';
import type { TemplateDiagnosis } from '../../src/usecases/diagnose-template';

// The prefill is pure: a diagnosis in, the form's values out. These tests read what a support engineer would get
// (ids, times, message, customizer, log location, what the bot concluded) and what must never reach them (SAS).

const SUB = '3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01';
const OP = '45f485cf-5a8c-4379-9937-8d85493bc791';
const CORR = '7d1c5e2a-3b4f-4a6d-8e9f-0a1b2c3d4e5f';
const RUN = '922bdf36-b53c-4e78-9cd8-6b70b9674685';
const ACCOUNT = 'q7x2lmn4p0rstuvw8yz1ab3c';
const LOG_PATH = `packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log`;
const SECRET = 'LeakMe%2Bfake%3D';

const templateId = (name: string) => `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;

const WINDOWS_SOURCE = { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter' };
const LINUX_SOURCE = { type: 'PlatformImage', publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2' };

function failedRunMessage(): string {
  return (
    'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: ' +
    `Packer build command has failed: exit status 1. Image Build log location: https://${ACCOUNT}.blob.core.windows.net/${LOG_PATH}?sv=2023-01-03&se=2026-11-21&sig=${SECRET}. ` +
    `OperationId: ${OP}. Correlation ID: ${CORR}. Use this operationId to search packer logs.`
  );
}

function templateDiagnosis(name: string, source: object | undefined, logLines: string[], customize: object[], message = failedRunMessage()): TemplateDiagnosis {
  const template = {
    id: templateId(name),
    name,
    location: 'westeurope',
    properties: {
      ...(source ? { source } : {}),
      customize,
      provisioningState: 'Succeeded',
      buildTimeoutInMinutes: 120,
      vmProfile: { vmSize: 'Standard_D2s_v3' },
      lastRunStatus: {
        runState: 'Failed',
        runSubState: 'Customizing',
        startTime: '2026-11-20T10:00:07Z',
        endTime: '2026-11-20T10:42:37Z',
        message,
      },
    },
  };
  const facts = templateFacts(template);
  const log = scanText(logLines.map((l) => `[${RUN}] ${l}`).join('\n') + '\n', 'log');
  const diagnosis = classify({ template: facts, log });
  const result: TemplateDiagnosis = {
    template: template as unknown as TemplateDiagnosis['template'],
    facts,
    diagnosis,
    log: { partial: false, location: { account: ACCOUNT, container: 'packerlogs', blobPath: LOG_PATH.replace('packerlogs/', ''), source: 'status-url' } },
    failed: true,
  };
  return result;
}

/** Windows, second customizer (PowerShell "install-agent") hit the Sysprep timing problem. */
function sysprepCase(): TemplateDiagnosis {
  return templateDiagnosis(
    'win2022-base',
    WINDOWS_SOURCE,
    [
      'PACKER ERR 2026/11/20 10:01:00 [INFO] (telemetry) Starting provisioner windows-restart',
      'PACKER ERR 2026/11/20 10:03:00 [INFO] (telemetry) ending windows-restart',
      'PACKER ERR 2026/11/20 10:03:01 [INFO] (telemetry) Starting provisioner powershell',
      `PACKER OUT     azure-arm: Downloading https://stagent.blob.core.windows.net/bin/agent.msi?sv=2023&sig=${SECRET}`,
      "PACKER OUT     azure-arm: Cannot find any service with service name 'WindowsAzureGuestAgent'.",
    ],
    [
      { type: 'WindowsRestart', name: 'restart-1' },
      { type: 'PowerShell', name: 'install-agent' },
    ],
  );
}

function linuxCase(): TemplateDiagnosis {
  return templateDiagnosis(
    'ubuntu-web',
    LINUX_SOURCE,
    [
      'PACKER ERR 2026/11/20 10:03:01 [INFO] (telemetry) Starting provisioner shell',
      'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 100. Allowed exit codes are: [0]',
    ],
    [{ type: 'Shell', name: 'apt-install' }],
  );
}

const PASTED =
  `##[error]Failed while waiting for packerizer: Packer build command has failed: exit status 1. Image Build log location: https://${ACCOUNT}.blob.core.windows.net/${LOG_PATH}?sv=2023-01-03&sig=${SECRET}. ` +
  `OperationId: ${OP}. Use this operationId to search packer logs.`;

function textOnly(): Diagnosis {
  return classify({ texts: [PASTED] });
}

describe('prefill from a template diagnosis', () => {
  const prefill = buildSupportPrefill({ source: sysprepCase(), locale: 'en' });

  test('names the product, topic and subtopic the guide asks for', () => {
    expect(prefill.productFamily).toBe('Azure');
    expect(prefill.product).toBe('windows');
    expect(SUPPORT_SERVICES[prefill.product!].displayName).toBe('Virtual Machine running Windows');
    expect(prefill.supportTopic).toBe('Azure Features');
    expect(prefill.subtopic).toBe('Azure Image Builder');
    expect(prefill.severity).toBe('minimal');
  });

  test('title names the template and the diagnosis', () => {
    expect(prefill.title).toBe('Azure Image Builder: win2022-base failed — Sysprep ran before the Azure guest agent was ready');
  });

  test('description carries template id, run state and times, ids, customizer, log and the conclusion', () => {
    const d = prefill.description;
    expect(d).toContain(templateId('win2022-base'));
    expect(d).toContain('Failed / Customizing');
    expect(d).toContain('2026-11-20T10:00:07Z');
    expect(d).toContain('2026-11-20T10:42:37Z');
    expect(d).toContain('42.5 min (build timeout 120 min)');
    expect(d).toContain('Standard_D2s_v3');
    expect(d).toContain(`Operation ID: ${OP}`);
    expect(d).toContain(`Correlation ID: ${CORR}`);
    expect(d).toContain(`Packer run ID: ${RUN}`);
    expect(d).toContain('#2 install-agent (powershell)');
    expect(d).toContain(`Build log (customization.log): https://${ACCOUNT}.blob.core.windows.net/${LOG_PATH}\n`);
    expect(d).toMatch(/Bot diagnosis: Sysprep ran before the Azure guest agent was ready \(catalog id sysprep-timing, confidence: \w+\)/);
    expect(d).toMatch(/Other failure classes that matched, ranked lower: .*\(customizer-failed\)/);
    expect(d).toContain('image-builder-troubleshoot#');
    expect(d).toContain("Cannot find any service with service name 'WindowsAzureGuestAgent'");
    expect(d).toContain('Packer build command has failed: exit status 1');
  });

  test('no SAS token anywhere, not even an empty sig=', () => {
    const all = JSON.stringify(prefill);
    expect(all).not.toContain(SECRET);
    expect(all).not.toMatch(/sig=/i);
    expect(all).not.toMatch(/customization\.log\?sv=/);
  });

  test('problem start time comes from the run', () => {
    expect(prefill.problemStartTime).toBe('2026-11-20T10:00:07.000Z');
  });

  test('coordinates and a stable diagnosis id', () => {
    expect(prefill).toMatchObject({ templateId: templateId('win2022-base'), templateName: 'win2022-base', resourceGroup: 'rg-images', subscriptionId: SUB });
    expect(buildSupportPrefill({ source: sysprepCase() }).diagnosisId).toBe(prefill.diagnosisId);
    expect(buildSupportPrefill({ source: linuxCase() }).diagnosisId).not.toBe(prefill.diagnosisId);
    expect(buildSupportPrefill({ source: sysprepCase(), diagnosisId: 'card-42' }).diagnosisId).toBe('card-42');
  });

  test('contact fields are left for the user, language follows the locale', () => {
    expect(prefill.contact).toEqual({ firstName: '', lastName: '', email: '', contactMethod: 'email', phone: '', timeZone: '', country: '', language: 'en-US' });
    const ja = buildSupportPrefill({ source: sysprepCase(), locale: 'ja-JP', contact: { firstName: 'Aiko', email: 'aiko@contoso.example' } });
    expect(ja.contact).toMatchObject({ firstName: 'Aiko', lastName: '', email: 'aiko@contoso.example', language: 'ja-JP' });
  });

  test('texts follow the locale', () => {
    const fr = buildSupportPrefill({ source: sysprepCase(), locale: 'fr-FR' });
    expect(fr.title).toMatch(/^Azure Image Builder : échec de win2022-base — /);
    expect(fr.description).toContain('Modèle d’image');
    expect(fr.description).toContain(templateId('win2022-base'));
  });
});

describe('product', () => {
  test('Linux source → Virtual Machine running Linux', () => {
    expect(buildSupportPrefill({ source: linuxCase() }).product).toBe('linux');
  });

  test('no source and no OS-specific customizer → asked in the form', () => {
    const td = templateDiagnosis('mystery', undefined, ['PACKER OUT something went wrong'], []);
    expect(buildSupportPrefill({ source: td }).product).toBeUndefined();
  });

  test('a text-only diagnosis without a customizer does not guess', () => {
    expect(buildSupportPrefill({ source: textOnly() }).product).toBeUndefined();
  });
});

describe('prefill from pasted text', () => {
  const prefill = buildSupportPrefill({ source: textOnly(), errorText: PASTED, locale: 'en' });

  test('has the message and ids, without the signature', () => {
    expect(prefill.title).toMatch(/^Azure Image Builder build failed — /);
    expect(prefill.description).toContain('Packer build command has failed');
    expect(prefill.description).toContain(`Operation ID: ${OP}`);
    expect(prefill.description).toContain(`https://${ACCOUNT}.blob.core.windows.net/${LOG_PATH}`);
    expect(JSON.stringify(prefill)).not.toContain(SECRET);
    expect(JSON.stringify(prefill)).not.toMatch(/sig=/i);
    expect(prefill.templateId).toBeUndefined();
    expect(prefill.subscriptionId).toBeUndefined();
  });
});

describe('bounds', () => {
  test('title stays within 140 characters', () => {
    const name = 'x'.repeat(64);
    const p = buildSupportPrefill({ source: templateDiagnosis(name, WINDOWS_SOURCE, ["PACKER OUT Cannot find any service with service name 'WindowsAzureGuestAgent'"], []), locale: 'pt-BR' });
    expect([...p.title].length).toBeLessThanOrEqual(TITLE_MAX);
    expect(p.title.endsWith('…')).toBe(true);
  });

  test('a huge log keeps the facts and drops evidence first', () => {
    const long = Array.from({ length: 40 }, (_, i) => `PACKER OUT ==> azure-arm: ${'noise '.repeat(80)} ${i} Script exited with non-zero exit status: 1. Allowed exit codes are: [0]`);
    const message = `${failedRunMessage()} ${'More detail from the service. '.repeat(80)}`;
    const p = buildSupportPrefill({
      source: templateDiagnosis('big', LINUX_SOURCE, ['PACKER ERR x [INFO] (telemetry) Starting provisioner shell', ...long], [{ type: 'Shell', name: 's' }], message),
    });
    expect([...p.description].length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(p.description).toContain(`Operation ID: ${OP}`);
    expect(p.description).toContain('Bot diagnosis:');
    expect(p.description).toContain('Evidence lines:');
    expect(p.description.trimEnd().endsWith('(more lines in the build log)')).toBe(true);
  });
});

describe('form answers', () => {
  const prefill = buildSupportPrefill({ source: sysprepCase() });
  const complete = {
    supportTitle: ' Title ',
    supportDescription: 'Description',
    supportSeverity: 'moderate',
    supportFirstName: 'Ada',
    supportLastName: 'Lovelace',
    supportEmail: 'ada@contoso.example',
    supportContactMethod: 'email',
    supportTimeZone: 'W. Europe Standard Time',
    supportCountry: 'gbr',
    supportLanguage: 'en-US',
    templateId: 'ignored',
  };

  test('are read from the card data, trimmed, country upper-cased', () => {
    expect(readSupportForm(complete)).toMatchObject({ title: 'Title', severity: 'moderate', country: 'GBR', contactMethod: 'email', product: undefined });
    expect(readSupportForm({ supportTitle: 42, supportProduct: 'macos' })).toMatchObject({ title: '', product: undefined });
  });

  test('api mode needs contact details, portal mode does not', () => {
    const empty = readSupportForm({ supportTitle: 'T', supportDescription: 'D', supportSeverity: 'minimal' });
    expect(invalidFields(prefill, empty, 'portal')).toEqual([]);
    expect(invalidFields(prefill, empty, 'api')).toEqual(['firstName', 'lastName', 'email', 'timeZone', 'country', 'language']);
    expect(invalidFields(prefill, readSupportForm(complete), 'api')).toEqual([]);
  });

  test('phone contact needs a number; bad email, country and severity are caught', () => {
    const form = readSupportForm({ ...complete, supportContactMethod: 'phone', supportEmail: 'nope', supportCountry: 'UK', supportSeverity: 'urgent' });
    expect(invalidFields(prefill, form, 'api')).toEqual(['severity', 'email', 'phone', 'country']);
  });

  test('an unknown product must be chosen', () => {
    const unknown = { ...prefill, product: undefined };
    expect(invalidFields(unknown, readSupportForm(complete), 'portal')).toEqual(['product']);
    expect(invalidFields(unknown, readSupportForm({ ...complete, supportProduct: 'linux' }), 'portal')).toEqual([]);
  });
});

describe('portal link', () => {
  const PREFIX = 'https://portal.azure.com/#create/Microsoft.Support/Parameters/';
  const params = (url: string) => JSON.parse(decodeURIComponent(url.slice(PREFIX.length))) as Record<string, string>;

  test('Windows: the VM Windows service, its Image Builder topic and the subscription', () => {
    const url = supportPortalUrl({ product: 'windows', subscriptionId: SUB, context: 'Azure Image Builder: x & y?' });
    expect(url.startsWith(PREFIX)).toBe(true);
    expect(url.slice(PREFIX.length)).not.toMatch(/[{}"& ?]/);
    expect(params(url)).toEqual({
      pesId: '6f16735c-b0ae-b275-ad3a-03479cfa1396',
      supportTopicId: 'ef64d754-4abe-3465-b745-7e0fab9ea45e',
      subId: SUB,
      contextInfo: 'Azure Image Builder: x & y?',
      caller: 'aib-chatops',
    });
  });

  test('Linux, no subscription known', () => {
    const p = params(supportPortalUrl({ product: 'linux' }));
    expect(p.pesId).toBe('cddd3eb5-1830-b494-44fd-782f691479dc');
    expect(p.supportTopicId).toBe('3020f209-0fa7-bf1a-6989-5a584eaeb498');
    expect(p).not.toHaveProperty('subId');
  });
});

describe('submit', () => {
  const prefill: SupportPrefill = buildSupportPrefill({ source: sysprepCase(), locale: 'en' });
  const answers = {
    supportTitle: prefill.title,
    supportDescription: `${prefill.description}\nextra: https://a.blob.core.windows.net/c/b?sv=1&sig=AnotherSecret`,
    supportSeverity: 'minimal',
    supportFirstName: 'Ada',
    supportLastName: 'Lovelace',
    supportEmail: 'ada@contoso.example',
    supportContactMethod: 'phone',
    supportPhone: '+44 20 7946 0000',
    supportTimeZone: 'GMT Standard Time',
    supportCountry: 'GBR',
    supportLanguage: 'en-US',
  };

  function fakeGateway(create: (r: SupportTicketRequest) => Promise<unknown>): SupportGateway {
    const unused = () => Promise.reject(new Error('not used'));
    return {
      kind: 'sandbox',
      subscriptionId: SUB,
      findService: unused,
      findProblemClassification: unused,
      isNameAvailable: unused,
      getTicket: unused,
      createTicket: create as SupportGateway['createTicket'],
    };
  }

  test('the copy text carries every field the person typed, contact details included', async () => {
    const r = await submitSupportCase(prefill, answers, { mode: 'api' });
    if (r.kind !== 'failed' || !r.portal) throw new Error(`expected failed with the portal way out, got ${r.kind}`);
    for (const line of ['First name: Ada', 'Last name: Lovelace', 'Email: ada@contoso.example', 'Preferred contact method: Phone', 'Phone number (for phone contact): +44 20 7946 0000', 'Time zone: GMT Standard Time', 'Country: GBR', 'Support language: en-US']) {
      expect(r.portal.copyText).toContain(line);
    }
  });

  test('the client\'s zone and country become the values the support API takes', () => {
    const p = buildSupportPrefill({ source: sysprepCase(), locale: 'en', contact: { timeZone: 'Asia/Tokyo', country: 'jp', email: 'a@b.example' } });
    expect(p.contact).toMatchObject({ timeZone: 'Tokyo Standard Time', country: 'JPN', email: 'a@b.example' });
    const unknown = buildSupportPrefill({ source: sysprepCase(), locale: 'en', contact: { timeZone: 'Nowhere/Else', country: 'XX' } });
    expect(unknown.contact).toMatchObject({ timeZone: '', country: '' });
  });

  test('portal mode: link plus a copy-ready block, no SAS', async () => {
    const r = await submitSupportCase(prefill, answers, { mode: 'portal' });
    if (r.kind !== 'portal') throw new Error(`expected portal, got ${r.kind}`);
    expect(r.portal.url).toBe(supportPortalUrl({ product: 'windows', subscriptionId: SUB, context: prefill.title }));
    expect(r.portal.copyText).toContain(`Title: ${prefill.title}`);
    expect(r.portal.copyText).toContain('Product: Virtual Machine running Windows');
    expect(r.portal.copyText).toContain('Subtopic: Azure Image Builder');
    expect(r.portal.copyText).toContain('Severity: C – Minimal impact');
    expect(r.portal.copyText).toContain(templateId('win2022-base'));
    expect(r.portal.copyText).not.toMatch(/sig=|AnotherSecret/);
    expect(r).toMatchObject({ templateId: prefill.templateId, diagnosisId: prefill.diagnosisId });
  });

  test('an incomplete form comes back as invalid with the fields and the answers', async () => {
    const r = await submitSupportCase(prefill, { ...answers, supportEmail: '' }, { mode: 'api', gateway: fakeGateway(() => Promise.reject(new Error('must not be called'))) });
    expect(r).toMatchObject({ kind: 'invalid', fields: ['email'], form: { firstName: 'Ada' } });
  });

  test('api mode: the request sent to the gateway', async () => {
    let seen: SupportTicketRequest | undefined;
    const r = await submitSupportCase(prefill, answers, {
      mode: 'api',
      gateway: fakeGateway(async (req) => {
        seen = req;
        return { ticketNumber: '2611200010000001', name: req.name, id: `/x/${req.name}`, title: req.title, severity: req.severity, reused: false };
      }),
    });
    expect(r).toMatchObject({ kind: 'created', ticket: { ticketNumber: '2611200010000001' } });
    expect(seen).toMatchObject({
      product: 'windows',
      name: ticketName(prefill),
      title: prefill.title,
      severity: 'minimal',
      resourceId: templateId('win2022-base'),
      contact: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        preferredContactMethod: 'phone',
        phoneNumber: '+44 20 7946 0000',
        primaryEmailAddress: 'ada@contoso.example',
        preferredTimeZone: 'GMT Standard Time',
        country: 'GBR',
        preferredSupportLanguage: 'en-US',
      },
    });
    expect(seen!.problemStartTime?.toISOString()).toBe('2026-11-20T10:00:07.000Z');
    expect(seen!.description).not.toMatch(/sig=|AnotherSecret/);
    expect(seen!.name).toMatch(/^aib-win2022-base-[0-9a-f]{16}$/);
  });

  test('api mode: a typed gateway error becomes a failed result with the portal route', async () => {
    const r = await submitSupportCase(prefill, answers, {
      mode: 'api',
      gateway: fakeGateway(() => Promise.reject(new SupportError('forbidden', 'no', { status: 403, requiredRole: 'Support Request Contributor' }))),
    });
    if (r.kind !== 'failed') throw new Error(`expected failed, got ${r.kind}`);
    expect(r.error).toMatchObject({ code: 'forbidden', requiredRole: 'Support Request Contributor' });
    expect(r.portal?.url).toContain('Microsoft.Support/Parameters/');
  });

  test('api mode without a gateway is a configuration error, not a crash', async () => {
    expect(await submitSupportCase(prefill, answers, { mode: 'api' })).toMatchObject({ kind: 'failed', error: { code: 'misconfigured' } });
  });

  test('a programming error is not swallowed', async () => {
    await expect(submitSupportCase(prefill, answers, { mode: 'api', gateway: fakeGateway(() => Promise.reject(new TypeError('bug'))) })).rejects.toThrow('bug');
  });
});

describe('ticket name', () => {
  test('stable per diagnosis, safe characters only', () => {
    const p = buildSupportPrefill({ source: sysprepCase(), diagnosisId: 'Card/42 ÄÖ' });
    expect(ticketName(p)).toBe('aib-win2022-base-card-42');
    expect(ticketName({ ...p, templateName: undefined, diagnosisId: '' })).toBe('aib-build-case');
  });
});
