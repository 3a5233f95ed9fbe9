// ARM error answers as values: handlers throw an ArmError and the server turns it into the common-types
// `{ error: { code, message } }` body with the status it carries.

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ArmError';
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const armErrors = {
  missingApiVersion: () =>
    new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests."),
  invalidApiVersion: (given: string, resourceType: string, supported: readonly string[]) =>
    new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${given}' is invalid. The supported versions for resource type '${resourceType}' are '${supported.join(', ')}'.`,
    ),
  subscriptionNotFound: (sub: string) => new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`),
  resourceGroupNotFound: (rg: string) => new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`),
  templateNotFound: (name: string, rg: string) =>
    new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.VirtualMachineImages/imageTemplates/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  runOutputNotFound: (name: string, template: string) =>
    new ArmError(404, 'ResourceNotFound', `The run output '${name}' of image template '${template}' was not found.`),
  triggerNotFound: (name: string, template: string) =>
    new ArmError(404, 'ResourceNotFound', `The trigger '${name}' of image template '${template}' was not found.`),
  galleryVersionNotFound: (gallery: string, image: string, version: string, rg: string) =>
    new ArmError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/galleries/${gallery}/images/${image}/versions/${version}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  resourceNotFound: (type: string, name: string, rg: string) =>
    new ArmError(
      404,
      'ResourceNotFound',
      `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  invalidName: (kind: string, name: string) =>
    new ArmError(
      400,
      'InvalidResourceName',
      `The resource name '${name}' is invalid. The name of a ${kind} must match the pattern '^[A-Za-z0-9-_.]{1,64}$'.`,
    ),
  noRoute: (method: string, path: string) =>
    new ArmError(404, 'InvalidResourceType', `The sandbox does not serve ${method} ${path}.`),
  methodNotAllowed: (method: string) => new ArmError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not supported at this path.`),
  badJson: (detail: string) => new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${detail}`),
  updateNotSupported: () =>
    new ArmError(409, 'Conflict', 'Update/Upgrade of image templates is currently not supported. Please delete the existing image template and create a new one.'),
  notAllowed: (message: string) => new ArmError(409, 'OperationNotAllowed', message),
  validationFailed: (message: string) => new ArmError(400, 'ValidationFailed', `Validation failed: ${message}`),
  operationNotFound: (id: string) => new ArmError(404, 'OperationNotFound', `The operation '${id}' was not found.`),
};
