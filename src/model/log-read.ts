// How much of a build log an answer rests on, and why not more: the diagnosis card says it, so it is a value the
// use cases produce and the cards read without either importing the other's layer.

export interface LogPlace {
  account: string;
  container: string;
  /** `<folder>/customization.log` inside the container. */
  blobPath: string;
  /** Where the location came from (status, staging group listing); informational. */
  source?: string;
  /** Name of the staging resource group, when known. */
  stagingResourceGroup?: string;
}

export interface LogReadInfo {
  location?: LogPlace;
  size?: number;
  bytesRead?: number;
  partial: boolean;
  /** Why the log could not be read (forbidden, gone, not located); the diagnosis then rests on the status. */
  error?: { code: string; message: string };
}
