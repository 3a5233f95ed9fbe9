// What the emulator needs from blob storage. blob/log-store.ts implements it over Azurite; keeping it an
// interface keeps the HTTP emulator free of the storage SDK.

export interface LogSink {
  /** Creates the account's empty packerlogs container, as AIB does when it sets up the staging group. */
  prepare(account: string): Promise<void>;
  /** Writes (or overwrites) packerlogs/<folder>/customization.log (or `blobName`, e.g. validation.log) in the account. */
  put(account: string, folder: string, content: string, blobName?: string): Promise<void>;
  /** Removes every log of the account, as deleting the template removes its staging group. */
  removeAll(account: string): Promise<void>;
}
