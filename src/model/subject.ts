// Who is asking, from where: the part of an activity every policy decision, claim and audit record needs.

export interface Person {
  /** Channel-specific id (Teams MRI). */
  id?: string;
  name?: string;
  aadObjectId?: string;
}

export interface Subject {
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  conversationId: string;
  user: Person;
}

/** Two people are the same when both have an AAD object id and it matches; names prove nothing. */
export function samePerson(a: Person | undefined, b: Person | undefined): boolean {
  const x = a?.aadObjectId?.toLowerCase();
  const y = b?.aadObjectId?.toLowerCase();
  if (x && y) return x === y;
  return !!a?.id && a.id === b?.id;
}
