// Azure role names the cards mention. Kept here so cards can name them without importing the gateways.

/** What the bot's identity needs on a staging resource group to read build logs. */
export const LOG_READER_ROLE = 'Storage Blob Data Reader';

/** What the bot's identity needs to open support cases through the API. */
export const SUPPORT_ROLE = 'Support Request Contributor';
