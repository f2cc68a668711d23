/** The roles a token can have. Each includes the ones before it: an admin can do all an editor can. */
export const ROLES = ['reader', 'editor', 'admin'] as const;

/** A role: `reader` lists and downloads released editions, `editor` also uploads, renders and sees embargoed editions, `admin` also manages tokens. */
export type Role = (typeof ROLES)[number];

/** What a route demands: nothing (`public`) or at least a role. */
export type Access = 'public' | Role;

/** Who makes a request: a token's id, name and role (never the token itself). */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** The actor of every request while the service runs open on 127.0.0.1 with no token configured. */
export const LOCAL_ACTOR: Actor = Object.freeze({ id: 'local', name: 'local user (open mode on 127.0.0.1)', role: 'admin' });

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `required` or above it. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** True when an actor may see editions before their release moment (editors and admins). */
export function seesEmbargoed(actor: Actor | undefined): boolean {
  return actor !== undefined && hasRole(actor.role, 'editor');
}

/** True for the addresses that only this machine can reach: where the service may run open without tokens. */
export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1';
}
