import { BotError } from './errors';

// The one identity of an image template inside the bot. Card data and typed names are parsed into it once, at the
// edge; policy, claims, audit and gateway calls all read the same value. It is always built on the subscription the
// bot serves, so a card whose data names another subscription is refused instead of being checked against one
// subscription and acted on in another.

/** Template, run-output and trigger names (Microsoft.VirtualMachineImages spec). */
const TEMPLATE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Resource groups: letters and digits of any script, `_ ( ) - .`, up to 90 characters, not ending in a period. */
const RESOURCE_GROUP_NAME = /^[\p{L}\p{N}_().-]{1,90}$/u;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEMPLATE_RESOURCE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.VirtualMachineImages\/imageTemplates\/([^/]+)$/i;
/** Longer input is not an id: refusing it early keeps an oversized card field out of every message and log. */
const MAX_ID_CHARS = 400;

/** Dot-only names pass the character rule but would be read as "." / ".." path segments once in a URL. */
const onlyDots = (s: string) => /^\.+$/.test(s);

export const isTemplateName = (name: string): boolean => TEMPLATE_NAME.test(name) && !onlyDots(name);
export const isResourceGroupName = (name: string): boolean => RESOURCE_GROUP_NAME.test(name) && !name.endsWith('.') && !onlyDots(name);
export const isSubscriptionId = (id: string): boolean => GUID.test(id);

export class TemplateId {
  /** The ARM resource id, with the served subscription in it. */
  readonly id: string;
  /**
   * ARM compares subscription, group and name case-insensitively: this is the key claims, confirmations and card
   * references use, so `AIB-Sandbox` and `aib-sandbox` are one template.
   */
  readonly key: string;

  private constructor(
    readonly subscriptionId: string,
    readonly resourceGroup: string,
    readonly name: string,
  ) {
    this.id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;
    this.key = this.id.toLowerCase();
  }

  /** From names a person typed or a listing returned; every part checked against the rule Azure applies. */
  static of(subscriptionId: string, resourceGroup: string, name: string): TemplateId {
    const sub = subscriptionId.trim().toLowerCase();
    const rg = resourceGroup.trim();
    const n = name.trim();
    if (!isSubscriptionId(sub)) throw invalid('subscription id', subscriptionId);
    if (!isResourceGroupName(rg)) throw invalid('resource group name', resourceGroup);
    if (!isTemplateName(n)) throw invalid('image template name', name);
    return new TemplateId(sub, rg, n);
  }

  /**
   * From untrusted card data: must be a template resource id on the served subscription. Anything else is a typed
   * refusal (`invalid-template-id`, `foreign-subscription`), never an exception of another kind.
   */
  static parse(raw: unknown, servedSubscription: string): TemplateId {
    if (typeof raw !== 'string' || raw.length > MAX_ID_CHARS) throw new BotError('invalid-template-id', 'The card did not name an image template.', {});
    const parsed = TemplateId.parseAny(raw);
    if (!parsed) throw new BotError('invalid-template-id', 'The card did not name an image template.', { value: raw.trim().slice(0, 120) });
    if (parsed.subscriptionId !== servedSubscription.trim().toLowerCase()) {
      throw new BotError('foreign-subscription', 'The card names a template of a subscription this bot does not serve.', { value: parsed.subscriptionId });
    }
    return parsed;
  }

  /** From an id ARM itself returned (listings, stored watches): any subscription, undefined when it is not a template id. */
  static parseAny(raw: string): TemplateId | undefined {
    const m = TEMPLATE_RESOURCE_ID.exec(raw.trim());
    if (!m) return undefined;
    try {
      return TemplateId.of(m[1], m[2], m[3]);
    } catch {
      return undefined;
    }
  }

  equals(other: TemplateId | undefined): boolean {
    return !!other && other.key === this.key;
  }

  toString(): string {
    return this.id;
  }

  toJSON(): string {
    return this.id;
  }
}

function invalid(kind: string, value: string): BotError {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return new BotError('invalid-name', `"${shown}" is not a valid ${kind}.`, { value: shown });
}
