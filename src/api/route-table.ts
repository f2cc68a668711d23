import express, { type RequestHandler, type Router } from 'express';
import type { z } from 'zod';
import type { Access } from './auth/roles.js';
import type { RouteAccess, RouteMethod } from './auth/route-access.js';

// Every route of the app is one declaration: method, path, role, the schemas of its input and
// answers, and its handler. The Express routers (createRouterOf), the access table (toRouteAccess)
// and the OpenAPI document (openapi.ts) are all made from the declarations, so they cannot differ.

/** A schema of the OpenAPI document's components, referred to by name. */
export interface ComponentRef {
  readonly component: string;
}

/** Refers to the named schema of the OpenAPI document's components. */
export function component(name: string): ComponentRef {
  return { component: name };
}

const COMPONENT_OF = new WeakMap<object, string>();

/**
 * Marks a zod schema as the named component of the OpenAPI document: wherever it is used it is
 * written as a reference to the component (e.g. a request's `dataset` as the dataset schema).
 */
export function asComponent<T extends z.ZodType>(schema: T, name: string): T {
  COMPONENT_OF.set(schema, name);
  return schema;
}

/** The component a zod schema was marked as, if any. */
export function componentOf(schema: object): string | undefined {
  return COMPONENT_OF.get(schema);
}

/** A schema in a declaration: a zod schema (turned into JSON Schema), or a component of the document. */
export type Schema = z.ZodType | ComponentRef;

/** One answer of a route: its description, and its body by content type (none for e.g. 204, 302, 304). */
export interface Answer {
  readonly description: string;
  readonly content?: Readonly<Record<string, Schema>>;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: Schema }>>;
}

/** What a route reads: path parameters, query parameters, request headers and its body (by content type). */
export interface RouteInput {
  /** A zod object: each key a path parameter (its `description` meta is the parameter's). */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly headers?: z.ZodObject;
  /** The body, by content type; a route with a body requires one. */
  readonly body?: Readonly<Record<string, Schema>>;
}

/** One route: `Ctx` is what its router gives the handler (services, body readers). */
export interface RouteDeclaration<Ctx> {
  readonly method: RouteMethod;
  /** The path as Express declares it (`:name` is one segment). */
  readonly path: string;
  /** The least role the route demands (roles include the ones below them: reader < editor < admin). */
  readonly role: Access;
  /** True when the route shows editions or their files: readers see only released ones (checked in the service). */
  readonly embargo?: boolean;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly input?: RouteInput;
  readonly responses: Readonly<Record<number, Answer>>;
  /** Makes the route's handlers (middleware first) from its router's context. */
  readonly handler: (ctx: Ctx) => RequestHandler | readonly RequestHandler[];
}

/** A declaration whatever its context: what the access table and the OpenAPI document read. */
export type AnyRoute = RouteDeclaration<never>;

/** Declares a route (the identity, typed: the declaration is the route). */
export function defineRoute<Ctx>(route: RouteDeclaration<Ctx>): RouteDeclaration<Ctx> {
  return route;
}

const EXPRESS_METHOD = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as const;

/** The Express router of a list of declarations, in their order. */
export function createRouterOf<Ctx>(routes: readonly RouteDeclaration<Ctx>[], ctx: Ctx): Router {
  const router = express.Router();
  for (const route of routes) {
    const made = route.handler(ctx);
    const handlers: RequestHandler[] = typeof made === 'function' ? [made] : [...made];
    router[EXPRESS_METHOD[route.method]](route.path, ...handlers);
  }
  return router;
}

/** The access table of a list of declarations: method, path, role and embargo of each. */
export function toRouteAccess(routes: readonly AnyRoute[]): RouteAccess[] {
  return routes.map((r) => ({ method: r.method, path: r.path, access: r.role, ...(r.embargo ? { embargo: true } : {}) }));
}

/** A problem+json answer (an error), as every route's error answers are. */
export function problemAnswer(description: string): Answer {
  return { description, content: { 'application/problem+json': component('Problem') } };
}

/** A JSON answer whose body is the named component. */
export function jsonAnswer(name: string, description: string): Answer {
  return { description, content: { 'application/json': component(name) } };
}
