import { grantPermissionsCard } from '../../cards/action-cards';
import { cardAnswer } from '../context';
import { refOf, type TemplateAction } from '../guards/template-action';

// What to grant the template's identity, as commands to copy: the bot never grants roles itself. Showing the
// identity's principal id is a grant of its own (`grant-permissions`), not a read.

export const grantPermissions: TemplateAction = {
  name: 'grant-permissions',
  check: () => ({ parameters: {} }),
  async run({ turn, id, template }) {
    const identityIds = Object.values(template.identity?.userAssignedIdentities ?? {})
      .map((i) => i?.principalId)
      .filter((p): p is string => !!p);
    const sub = `/subscriptions/${id.subscriptionId}`;
    const source = (template.source as { imageId?: string; imageVersionId?: string } | undefined) ?? {};
    const scopes = [`${sub}/resourceGroups/${id.resourceGroup}`];
    const sourceRg = /\/resourceGroups\/[^/]+/i.exec(source.imageId ?? source.imageVersionId ?? '')?.[0];
    if (sourceRg && !scopes.includes(`${sub}${sourceRg}`)) scopes.push(`${sub}${sourceRg}`);
    return cardAnswer(grantPermissionsCard({ template: refOf(id), identityIds, scopes }, turn.locale));
  },
};
