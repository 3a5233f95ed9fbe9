import type { ErrorRecord } from './envelopes';

// ARM and resource-provider error codes → catalog ids. A code says more than any sentence around it (messages
// are localized and reworded between API versions; codes are not), but a few codes are shared by several
// failures and need their message to decide: OperationNotAllowed is both "quota" and "wrong state",
// AuthorizationFailed names the action that was refused, NotFound names what was missing.

/** Codes that only wrap the real error: with inner errors they defer to them, alone they mean what `alone` says. */
const WRAPPERS: Record<string, string | null> = {
  deploymentfailed: null,
  resourcedeploymentfailure: 'deployment-failed-permissions',
  resourceoperationfailure: 'deployment-failed-permissions',
  invalidtemplatedeployment: 'template-validation-failed',
  deploymentscripterror: null,
  conflict: 'operation-not-allowed-in-state',
  badrequest: 'template-validation-failed',
  notfound: null,
  multipleerrorsoccurred: null,
};

type Resolver = (message: string) => string | null;

const fixed =
  (id: string): Resolver =>
  () =>
    id;

const TABLE: Record<string, Resolver> = {
  // quota and capacity
  quotaexceeded: fixed('quota-exceeded'),
  resourcequotaexceeded: fixed('quota-exceeded'),
  operationnotallowed: (m) =>
    /quota|exceed/i.test(m) ? 'quota-exceeded' : 'operation-not-allowed-in-state',
  skunotavailable: fixed('vm-size-unavailable'),
  allocationfailed: fixed('vm-size-unavailable'),
  zonalallocationfailed: fixed('vm-size-unavailable'),
  containergroupquotareached: fixed('aci-quota-exceeded'),
  // registration
  missingsubscriptionregistration: (m) => (/ContainerInstance/i.test(m) ? 'aci-provider-unregistered' : 'provider-not-registered'),
  subscriptionnotregistered: (m) => (/ContainerInstance/i.test(m) ? 'aci-provider-unregistered' : 'provider-not-registered'),
  noregisteredproviderfound: fixed('provider-not-registered'),
  invalidsubscriptionregistrationstate: fixed('provider-not-registered'),
  // who may do what
  authorizationfailed: authorization,
  linkedauthorizationfailed: authorization,
  requestdisallowedbypolicy: fixed('policy-violation'),
  // what the template asks for
  platformimagenotfound: fixed('source-image-not-found'),
  imagenotfound: fixed('source-image-not-found'),
  imageversionnotfound: fixed('source-image-not-found'),
  purchaseplannotprovided: fixed('purchase-plan-missing'),
  marketplacepurchaseeligibilityfailed: fixed('purchase-plan-missing'),
  resourcepurchasevalidationfailed: fixed('purchase-plan-missing'),
  resourcenotfound: notFound,
  validationfailed: fixed('template-validation-failed'),
  invalidtemplate: fixed('template-validation-failed'),
  linkedinvalidpropertyid: fixed('template-validation-failed'),
  invalidparameter: fixed('template-validation-failed'),
  invalidrequestcontent: (m) => (/unknown field|could not find member/i.test(m) ? 'unknown-template-property' : 'template-validation-failed'),
  invalidrequestformat: fixed('template-validation-failed'),
  invalidresourcereference: fixed('template-validation-failed'),
  // state
  anotheroperationinprogress: fixed('operation-not-allowed-in-state'),
  resourcegroupbeingdeleted: fixed('operation-not-allowed-in-state'),
  // storage account settings
  publicaccessnotpermitted: fixed('storage-access-refused'),
  keybasedauthenticationnotpermitted: fixed('storage-access-refused'),
  authorizationpermissionmismatch: fixed('storage-access-refused'),
  authorizationsourceipmismatch: fixed('storage-access-refused'),
  // the service itself
  internalservererror: fixed('service-error'),
  servererror: fixed('service-error'),
  internaloperationerror: fixed('service-error'),
  gatewaytimeout: fixed('service-error'),
  serviceunavailable: fixed('service-error'),
  toomanyrequests: fixed('service-error'),
  subscriptionrequeststhrottled: fixed('service-error'),
  // Image Builder's own
  packerbuildfailed: fixed('customizer-failed'),
  osprovisioningtimedout: fixed('vm-creation-failed'),
  osprovisioningclienterror: fixed('vm-creation-failed'),
  // HTTP statuses alone (`(CODE: 409)`): the weakest evidence there is
  http409: (m) => (/not allowed|state/i.test(m) ? 'operation-not-allowed-in-state' : null),
  http429: fixed('service-error'),
  http500: fixed('service-error'),
  http502: fixed('service-error'),
  http503: fixed('service-error'),
  http504: fixed('service-error'),
};

function authorization(message: string): string {
  if (/Microsoft\.Compute\/disks\/write[^\n]*proxyVmDisk/i.test(message)) return 'disk-authorization';
  // The person (or pipeline principal) asking to create, delete or run the template, not the template's identity.
  if (/action '?Microsoft\.VirtualMachineImages\/imageTemplates\/(?:write|delete|run\/action|cancel\/action)/i.test(message)) {
    return 'user-not-authorized';
  }
  return 'authorization-failed';
}

function notFound(message: string): string | null {
  if (/Microsoft\.Compute\/(?:galleries|images)|image|PlatformImage/i.test(message)) return 'source-image-not-found';
  if (/Microsoft\.Network\/networkInterfaces/i.test(message)) return 'nic-not-found';
  if (/userAssignedIdentities/i.test(message)) return 'identity-unusable';
  return null;
}

export interface CodeMatch {
  entryId: string;
  record: ErrorRecord;
  /** True when the code itself decided (not only an HTTP status, not a wrapper read alone). */
  specific: boolean;
}

/**
 * The catalog ids the records' codes point to. A wrapper with inner errors is skipped (its children decide); a
 * wrapper alone counts with its own meaning, as a weak match.
 */
export function codeMatches(records: ErrorRecord[]): CodeMatch[] {
  const out: CodeMatch[] = [];
  for (const r of records) {
    if (!r.code) continue;
    const key = r.code.toLowerCase();
    const message = `${r.message ?? ''}`;
    if (key in WRAPPERS) {
      const alone = WRAPPERS[key];
      if (!r.hasChildren && alone) out.push({ entryId: alone, record: r, specific: false });
      continue;
    }
    const resolve = TABLE[key];
    const id = resolve ? resolve(message) : null;
    if (id) out.push({ entryId: id, record: r, specific: !key.startsWith('http') });
  }
  return out;
}

/** Whether a code only wraps others (DeploymentFailed, ResourceOperationFailure…). */
export function isWrapperCode(code: string): boolean {
  return code.toLowerCase() in WRAPPERS;
}

/** The codes the table knows, for tests and the term ranking. */
export const KNOWN_CODES = [...Object.keys(TABLE), ...Object.keys(WRAPPERS)];
