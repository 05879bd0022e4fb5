/*
 * The shapes a request and its answer take between the HTTP side and the
 * API semantics, and what every verb module works on.
 */
import { ResourceType } from '../resources';
import { Store } from '../store';
import { Validator } from '../validation';

export type Verb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

/** Which resource (and object, and subresource) a path addresses. */
export interface ResourceAddress {
  type: ResourceType;
  /** The version the client addressed; objects are answered at it. */
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface ApiRequest extends ResourceAddress {
  verb: Verb;
  query: URLSearchParams;
  contentType?: string;
  body?: string;
  /** The request's User-Agent: names the field manager when `fieldManager` does not. */
  userAgent?: string;
}

export interface ApiResponse {
  code: number;
  body: unknown;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/** What the verb modules act on: the store and the validator of writes. */
export interface ApiContext {
  store: Store;
  validate: Validator;
}
