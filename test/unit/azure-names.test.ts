import {
  checkResourceGroupName,
  checkRunOutputName,
  checkStorageAccountName,
  checkTemplateName,
  parseResourceGroupId,
} from '../../src/azure/names';
import { TemplateId } from '../../src/model';

const parseTemplateId = (id: string) => {
  const t = TemplateId.parse(id, '00000000-0000-4000-8000-00000000a1b0');
  return { subscriptionId: t.subscriptionId, resourceGroup: t.resourceGroup, name: t.name };
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('template and run output names', () => {
  it.each(['win2022-base', 'a', 'A.b_c-9', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(checkTemplateName(name)).toBe(name);
    expect(checkRunOutputName(name)).toBe(name);
  });

  it.each(['', 'x'.repeat(65), 'has space', 'a/b', '../run', '..', '.', 'name%2Frun', 'ünïcode', 'a?api-version=1', 'a#b'])(
    'rejects %j with invalid-name',
    (name) => {
      expect(codeOf(() => checkTemplateName(name))).toBe('invalid-name');
      expect(codeOf(() => checkRunOutputName(name))).toBe('invalid-name');
    },
  );
});

describe('resource group names', () => {
  it.each(['aib-sandbox', 'IT_aib-sandbox_win2022-base_1234', 'rg(1).x', 'grupo-ção', 'x'.repeat(90)])('accepts %s', (name) => {
    expect(checkResourceGroupName(name)).toBe(name);
  });

  it.each(['', 'ends.', 'x'.repeat(91), 'a/b', 'a b', '..'])('rejects %j', (name) => {
    expect(codeOf(() => checkResourceGroupName(name))).toBe('invalid-name');
  });
});

describe('storage account names', () => {
  it('accepts 3–24 lowercase letters and digits only', () => {
    expect(checkStorageAccountName('xkzlyccln2x4qrzk8r60s8oc')).toBe('xkzlyccln2x4qrzk8r60s8oc');
    expect(codeOf(() => checkStorageAccountName('UPPER'))).toBe('invalid-name');
    expect(codeOf(() => checkStorageAccountName('ab'))).toBe('invalid-name');
    expect(codeOf(() => checkStorageAccountName('a'.repeat(25)))).toBe('invalid-name');
    expect(codeOf(() => checkStorageAccountName('evil.example.com'))).toBe('invalid-name');
  });
});

describe('resource ids', () => {
  const sub = '00000000-0000-4000-8000-00000000a1b0';

  it('parses a template id in any case', () => {
    expect(parseTemplateId(`/subscriptions/${sub}/resourcegroups/aib-sandbox/providers/microsoft.virtualmachineimages/imagetemplates/win2022-base`)).toEqual({
      subscriptionId: sub,
      resourceGroup: 'aib-sandbox',
      name: 'win2022-base',
    });
  });

  it('refuses ids of other resource types or with bad parts', () => {
    expect(codeOf(() => parseTemplateId(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Compute/images/x`))).toBe('invalid-template-id');
    expect(codeOf(() => parseTemplateId(`/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/x`))).toBe(
      'invalid-template-id',
    );
    expect(codeOf(() => parseTemplateId(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/..`))).toBe(
      'invalid-template-id',
    );
  });

  it('parses a staging resource group id', () => {
    expect(parseResourceGroupId(`/subscriptions/${sub}/resourceGroups/IT_aib-sandbox_win2022-base_0f0f`)).toEqual({
      subscriptionId: sub,
      resourceGroup: 'IT_aib-sandbox_win2022-base_0f0f',
    });
    expect(codeOf(() => parseResourceGroupId('IT_rg'))).toBe('invalid-name');
  });
});
