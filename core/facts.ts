// Facts: what a construct says about itself and what it links to, for the verification layer.
//
// A construct publishes facts in its own file (`publishFact(this, KEY_VAULT, { ... })`); the
// checks under verify/ read them from a FactIndex built in one pass over the tree, never from
// the constructs' classes or internals. A fact type is a typed key made once with `defineFact`;
// a new construct (or a new delivery mode) defines its own types next to its other facts and
// publishes them, and a new check file reads them: nothing in verify/ knows the construct.
import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { constructsUnder } from "./validation";

/** A kind of fact, with the type of its data: the key facts are published and queried by. */
export interface FactType<T> {
  /** Unique, dotted name, e.g. `azure.key-vault`; for messages and debugging. */
  readonly name: string;
  /** One line: what a fact of this kind says. */
  readonly description: string;
  /** Type marker only (never set). */
  readonly __data?: T;
}

/** One published fact. */
export interface Fact<T = unknown> {
  readonly type: FactType<T>;
  /** The construct that published it. Facts are collected in tree order of their sources. */
  readonly source: IConstruct;
  readonly data: T;
}

const TYPES = new Map<string, FactType<unknown>>();

/**
 * Defines a kind of fact. Names are unique (dotted, by domain: `azure.key-vault`, `eso.external-secret`):
 * defining a name twice is a programming error and throws.
 */
export function defineFact<T>(name: string, description: string): FactType<T> {
  const existing = TYPES.get(name);
  if (existing) throw new Error(`defineFact: the fact kind "${name}" is already defined ("${existing.description}"): give the new kind ("${description}") another name`);
  const type: FactType<T> = { name, description };
  TYPES.set(name, type as FactType<unknown>);
  return type;
}

/** Every kind of fact defined so far (in definition order). */
export function factTypes(): readonly FactType<unknown>[] {
  return [...TYPES.values()];
}

const PUBLISHED = new WeakMap<IConstruct, Fact[]>();
/** The same facts by kind, for {@link publishedFacts} (a vault publishes thousands of facts). */
const PUBLISHED_BY_TYPE = new WeakMap<IConstruct, Map<FactType<unknown>, unknown[]>>();

/**
 * Publishes a fact about `source` (usually `this` in a constructor or a method that links it to
 * something). Facts are append-only: a construct whose links grow (a grant widened, a
 * credential added) publishes one fact per link. Returns the data.
 */
export function publishFact<T>(source: IConstruct, type: FactType<T>, data: T): T {
  const list = PUBLISHED.get(source);
  const fact: Fact<T> = { type, source, data };
  if (list) list.push(fact as Fact);
  else PUBLISHED.set(source, [fact as Fact]);
  let byType = PUBLISHED_BY_TYPE.get(source);
  if (!byType) PUBLISHED_BY_TYPE.set(source, (byType = new Map()));
  const same = byType.get(type as FactType<unknown>);
  if (same) same.push(data);
  else byType.set(type as FactType<unknown>, [data]);
  return data;
}

/**
 * The data of the facts of one kind `c` published itself, in publish order, without a walk: for
 * checks made per construct (the security rules read admin grants this way). Prefer a
 * {@link FactIndex} for whole-app analyses.
 */
export function publishedFacts<T>(c: IConstruct, type: FactType<T>): readonly T[] {
  return (PUBLISHED_BY_TYPE.get(c)?.get(type as FactType<unknown>) ?? []) as T[];
}

/** The facts `c` published itself, in publish order. */
export function factsOf(c: IConstruct): readonly Fact[] {
  return PUBLISHED.get(c) ?? [];
}

/**
 * Derives facts from a Terraform resource no construct speaks for (a hand-written Deployment,
 * ServiceAccount or manifest): registered by resource type with {@link FactIndex}'s collector.
 */
export type ResourceReader = (resource: TerraformResource, emit: <T>(type: FactType<T>, data: T, source?: IConstruct) => void) => void;

/** What {@link collectFacts} takes besides the tree. */
export interface CollectOptions {
  /** Readers by Terraform resource type, run on every resource no fact has claimed. */
  readonly readers?: ReadonlyMap<string, readonly ResourceReader[]>;
  /** Also called for every construct of the walk (one pass: e.g. to read metadata). */
  readonly visit?: (c: IConstruct) => void;
}

/**
 * A construct speaks for a Terraform resource it created (its facts say what the resource is):
 * raw-resource readers skip a claimed resource. Claim resources under the claiming construct, so
 * that the preorder walk sees the claim before the resource.
 */
export const RESOURCE_CLAIM = defineFact<{ readonly resource: TerraformResource }>("resource.claim", "the publisher's facts speak for this Terraform resource: readers of raw resources skip it");

/** Claims `resource` for `source` (see {@link RESOURCE_CLAIM}). */
export function claimResource(source: IConstruct, resource: TerraformResource): void {
  publishFact(source, RESOURCE_CLAIM, { resource });
}

/**
 * The construct validates part of its wiring itself (`node.addValidation`), standing in for the
 * wiring check `checkId` (which then leaves that part to it); reports that list wiring problems
 * run its validations too.
 */
export const SELF_CHECKED = defineFact<{ readonly checkId: string }>("self-checked", "the publisher validates part of its own wiring (node.addValidation) in place of a wiring check");

/** The facts of a tree, indexed by kind and by source: built by {@link collectFacts} in one walk. */
export class FactIndex {
  private readonly byType = new Map<FactType<unknown>, Fact[]>();
  /** source -> kind -> data, in publish order. */
  private readonly bySource = new Map<IConstruct, Map<FactType<unknown>, unknown[]>>();
  private readonly claimed = new Set<TerraformResource>();
  /** How many constructs the walk visited. */
  public size = 0;

  /** Adds a fact (the collector does; checks may add derived facts before others read them). */
  add<T>(type: FactType<T>, source: IConstruct, data: T): void {
    const key = type as FactType<unknown>;
    const fact: Fact<T> = { type, source, data };
    const list = this.byType.get(key);
    if (list) list.push(fact as Fact);
    else this.byType.set(key, [fact as Fact]);
    let own = this.bySource.get(source);
    if (!own) this.bySource.set(source, (own = new Map()));
    const mine = own.get(key);
    if (mine) mine.push(data);
    else own.set(key, [data]);
    if (key === (RESOURCE_CLAIM as FactType<unknown>)) this.claimed.add((data as { resource: TerraformResource }).resource);
  }

  /** Every fact of a kind, in tree order of their sources (publish order within one source). */
  all<T>(type: FactType<T>): readonly Fact<T>[] {
    return (this.byType.get(type as FactType<unknown>) ?? []) as Fact<T>[];
  }

  /** The data of the facts of a kind that `source` published, in publish order. */
  of<T>(source: IConstruct, type: FactType<T>): readonly T[] {
    return (this.bySource.get(source)?.get(type as FactType<unknown>) ?? []) as T[];
  }

  /** The last fact of a kind that `source` published (a later one supersedes), if any. */
  last<T>(source: IConstruct, type: FactType<T>): T | undefined {
    const list = this.of(source, type);
    return list.length > 0 ? list[list.length - 1] : undefined;
  }

  /** True when a fact speaks for this resource (its data has it as `resource`). */
  isClaimed(resource: TerraformResource): boolean {
    return this.claimed.has(resource);
  }
}

/**
 * Collects the facts of the tree under `root` in one preorder walk: the facts each construct
 * published, then (for Terraform resources no fact claims) those the readers derive.
 */
export function collectFacts(root: IConstruct, options: CollectOptions = {}): FactIndex {
  const index = new FactIndex();
  const readers = options.readers;
  const all = constructsUnder(root);
  index.size = all.length;
  for (const c of all) {
    options.visit?.(c);
    const own = PUBLISHED.get(c);
    if (own) for (const f of own) index.add(f.type, f.source, f.data);
    if (readers && TerraformResource.isTerraformResource(c)) {
      const r = c as TerraformResource;
      const list = readers.get(r.terraformResourceType);
      if (list && !index.isClaimed(r)) for (const read of list) read(r, (type, data, source) => index.add(type, source ?? r, data));
    }
  }
  return index;
}
