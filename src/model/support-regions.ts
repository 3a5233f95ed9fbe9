// Where a support engineer should call: the support API wants a Windows time zone name ("W. Europe Standard Time")
// and an ISO 3166-1 alpha-3 country ("DEU"), while Teams' clientInfo entity says "Europe/Berlin" and "DE". These
// tables turn one into the other and are the choices the form offers, so nobody types a zone name from memory.
// Bounded on purpose: the zones and countries most Teams tenants sit in; anything else is a choice away ("Other"
// is not offered because the API refuses names it does not know).

/** Windows time zone name → the IANA zones Teams may report for it. */
export const TIME_ZONES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Dateline Standard Time', ['Etc/GMT+12']],
  ['Hawaiian Standard Time', ['Pacific/Honolulu']],
  ['Alaskan Standard Time', ['America/Anchorage']],
  ['Pacific Standard Time', ['America/Los_Angeles', 'America/Vancouver', 'America/Tijuana', 'PST8PDT']],
  ['Mountain Standard Time', ['America/Denver', 'America/Edmonton', 'America/Boise']],
  ['US Mountain Standard Time', ['America/Phoenix']],
  ['Central Standard Time', ['America/Chicago', 'America/Winnipeg']],
  ['Central Standard Time (Mexico)', ['America/Mexico_City', 'America/Monterrey']],
  ['Eastern Standard Time', ['America/New_York', 'America/Toronto', 'America/Detroit', 'EST5EDT']],
  ['SA Pacific Standard Time', ['America/Bogota', 'America/Lima']],
  ['Atlantic Standard Time', ['America/Halifax']],
  ['E. South America Standard Time', ['America/Sao_Paulo']],
  ['Argentina Standard Time', ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires']],
  ['UTC', ['UTC', 'Etc/UTC', 'Etc/GMT']],
  ['GMT Standard Time', ['Europe/London', 'Europe/Dublin', 'Europe/Lisbon']],
  ['W. Europe Standard Time', ['Europe/Berlin', 'Europe/Amsterdam', 'Europe/Rome', 'Europe/Vienna', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Oslo']],
  ['Romance Standard Time', ['Europe/Paris', 'Europe/Brussels', 'Europe/Madrid', 'Europe/Copenhagen']],
  ['Central European Standard Time', ['Europe/Warsaw', 'Europe/Zagreb']],
  ['Central Europe Standard Time', ['Europe/Prague', 'Europe/Budapest']],
  ['GTB Standard Time', ['Europe/Athens', 'Europe/Bucharest']],
  ['FLE Standard Time', ['Europe/Helsinki', 'Europe/Kiev', 'Europe/Kyiv']],
  ['Israel Standard Time', ['Asia/Jerusalem']],
  ['South Africa Standard Time', ['Africa/Johannesburg']],
  ['Turkey Standard Time', ['Europe/Istanbul']],
  ['Russian Standard Time', ['Europe/Moscow']],
  ['Arabian Standard Time', ['Asia/Dubai']],
  ['India Standard Time', ['Asia/Kolkata', 'Asia/Calcutta']],
  ['SE Asia Standard Time', ['Asia/Bangkok', 'Asia/Jakarta', 'Asia/Ho_Chi_Minh']],
  ['China Standard Time', ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Chongqing']],
  ['Singapore Standard Time', ['Asia/Singapore', 'Asia/Kuala_Lumpur', 'Asia/Manila']],
  ['Taipei Standard Time', ['Asia/Taipei']],
  ['Tokyo Standard Time', ['Asia/Tokyo']],
  ['Korea Standard Time', ['Asia/Seoul']],
  ['AUS Eastern Standard Time', ['Australia/Sydney', 'Australia/Melbourne']],
  ['E. Australia Standard Time', ['Australia/Brisbane']],
  ['W. Australia Standard Time', ['Australia/Perth']],
  ['New Zealand Standard Time', ['Pacific/Auckland']],
];

/** ISO 3166-1 alpha-2 (as Teams reports it) → alpha-3 (as the support API wants it). */
export const COUNTRIES: Readonly<Record<string, string>> = {
  US: 'USA', CA: 'CAN', MX: 'MEX', BR: 'BRA', AR: 'ARG', CL: 'CHL', CO: 'COL', PE: 'PER',
  GB: 'GBR', IE: 'IRL', FR: 'FRA', DE: 'DEU', IT: 'ITA', ES: 'ESP', PT: 'PRT', NL: 'NLD', BE: 'BEL', LU: 'LUX',
  CH: 'CHE', AT: 'AUT', DK: 'DNK', SE: 'SWE', NO: 'NOR', FI: 'FIN', PL: 'POL', CZ: 'CZE', HU: 'HUN', RO: 'ROU',
  GR: 'GRC', TR: 'TUR', UA: 'UKR', IL: 'ISR', AE: 'ARE', SA: 'SAU', ZA: 'ZAF', EG: 'EGY', NG: 'NGA', KE: 'KEN',
  IN: 'IND', CN: 'CHN', HK: 'HKG', TW: 'TWN', JP: 'JPN', KR: 'KOR', SG: 'SGP', MY: 'MYS', TH: 'THA', VN: 'VNM',
  ID: 'IDN', PH: 'PHL', AU: 'AUS', NZ: 'NZL',
};

const BY_IANA = new Map(TIME_ZONES.flatMap(([windows, iana]) => iana.map((zone) => [zone.toLowerCase(), windows] as const)));
const WINDOWS_ZONES = new Set(TIME_ZONES.map(([windows]) => windows));
const ALPHA3 = new Set(Object.values(COUNTRIES));

/** Teams' IANA zone (or a Windows name already) → the Windows name the support API takes; undefined if unknown. */
export function windowsTimeZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  if (WINDOWS_ZONES.has(zone)) return zone;
  return BY_IANA.get(zone.trim().toLowerCase());
}

/** Teams' alpha-2 country (or an alpha-3 already) → alpha-3; undefined if unknown. */
export function countryAlpha3(country: string | undefined): string | undefined {
  if (!country) return undefined;
  const upper = country.trim().toUpperCase();
  if (ALPHA3.has(upper)) return upper;
  return COUNTRIES[upper];
}

export function isKnownTimeZone(zone: string): boolean {
  return WINDOWS_ZONES.has(zone);
}

export function isKnownCountry(country: string): boolean {
  return ALPHA3.has(country);
}
