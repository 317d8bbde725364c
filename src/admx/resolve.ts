import type { Problem } from '../model/problems.js';
import type { Hive } from '../model/settings.js';
import type {
  AdmlDocument,
  AdmxCategory,
  AdmxDocument,
  AdmxElement,
  AdmxPolicy,
  PolicyClass,
  PresentationControlKind,
  TextRef,
} from './types.js';
import { lookup } from './xml-common.js';

/** One ADMX file with its ADML tables, preferred language first; later tables add names in other languages. */
export interface PolicySource {
  admx: AdmxDocument;
  adml: AdmlDocument[];
}

/** What `createPolicyCatalog` needs. Earlier sources win when two define the same policy id. */
export interface CatalogInput {
  sources: PolicySource[];
}

export interface ResolvedElement {
  element: AdmxElement;
  /** Presentation labels, one per language that shows the element, preferred language first. */
  labels: string[];
  control?: PresentationControlKind;
  /** Enum elements only: for each item, its display texts in every language. */
  itemNames: string[][];
}

export interface CategoryPath {
  /** `Windows Components/Windows Installer`, as a report's Category shows it. */
  path: string;
  /** False when a parent category could not be found: the path is then only the lower part. */
  complete: boolean;
}

export interface ResolvedPolicy {
  /** `Logon:HideFastUserSwitching`. */
  id: string;
  policy: AdmxPolicy;
  file: string;
  hives: Hive[];
  /** Display names, preferred language first, without duplicates. Empty when no ADML names the policy. */
  displayNames: string[];
  categoryPaths: CategoryPath[];
  /** Elements in presentation order, then any the presentation does not show, in ADMX order. */
  elements: ResolvedElement[];
}

export function hivesForClass(cls: PolicyClass): Hive[] {
  if (cls === 'Machine') return ['HKLM'];
  if (cls === 'User') return ['HKCU'];
  return ['HKLM', 'HKCU'];
}

export function policyId(admx: AdmxDocument, policy: AdmxPolicy): string {
  return `${admx.stem}:${policy.name}`;
}

interface CategoryEntry {
  category: AdmxCategory;
  source: PolicySource;
}

/** Categories of every source by `namespace:name`, so parent references can cross files (`windows:System`). */
export class CategoryIndex {
  private readonly entries = new Map<string, CategoryEntry>();

  constructor(sources: PolicySource[]) {
    for (const source of sources) {
      for (const category of source.admx.categories) {
        const k = categoryKey(source.admx.namespace, category.name);
        if (!this.entries.has(k)) this.entries.set(k, { category, source });
      }
    }
  }

  /** Follow parentCategory references up to the root, naming each level in `language` where possible. */
  path(ref: string | undefined, from: AdmxDocument, language: string | undefined): CategoryPath | undefined {
    const names: string[] = [];
    const seen = new Set<string>();
    let doc = from;
    let current = ref;
    while (current !== undefined) {
      const k = resolveCategoryRef(current, doc);
      const entry = k === undefined ? undefined : this.entries.get(k);
      if (!entry || seen.has(k!) || seen.size > 64) break;
      seen.add(k!);
      names.unshift(resolveText(entry.category.displayName, entry.source.adml, language) ?? entry.category.name);
      doc = entry.source.admx;
      current = entry.category.parentCategory;
    }
    if (names.length === 0) return undefined;
    return { path: names.join('/'), complete: current === undefined };
  }
}

function categoryKey(namespace: string, name: string): string {
  return `${namespace.toLowerCase()}:${name.toLowerCase()}`;
}

/** `windows:System` → namespace of prefix `windows` in this file; `Logon` → this file's own namespace. */
function resolveCategoryRef(ref: string, doc: AdmxDocument): string | undefined {
  const i = ref.indexOf(':');
  if (i < 0) return categoryKey(doc.namespace, ref);
  const ns = lookup(doc.prefixes, ref.slice(0, i));
  return ns === undefined ? undefined : categoryKey(ns, ref.slice(i + 1));
}

/** The text of a reference in `language` (falling back to the other tables, in order), or undefined. */
export function resolveText(ref: TextRef, tables: AdmlDocument[], language?: string): string | undefined {
  if ('literal' in ref) return ref.literal.trim();
  const ordered = language ? [...tables.filter((t) => sameLanguage(t.language, language)), ...tables] : tables;
  for (const table of ordered) {
    const text = lookup(table.strings, ref.stringId);
    if (text !== undefined) return text.trim();
  }
  return undefined;
}

function sameLanguage(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Turn one source's policies into resolved definitions: names, category paths, element labels. */
export function resolveSource(source: PolicySource, categories: CategoryIndex): ResolvedPolicy[] {
  return source.admx.policies.map((policy) => ({
    id: policyId(source.admx, policy),
    policy,
    file: source.admx.file,
    hives: hivesForClass(policy.class),
    displayNames: distinct(source.adml.map((t) => resolveText(policy.displayName, [t]))),
    categoryPaths: categoryPaths(policy, source, categories),
    elements: resolveElements(policy, source.adml),
  }));
}

function categoryPaths(policy: AdmxPolicy, source: PolicySource, categories: CategoryIndex): CategoryPath[] {
  const languages = source.adml.length > 0 ? source.adml.map((t) => t.language) : [undefined];
  const out: CategoryPath[] = [];
  for (const language of languages) {
    const p = categories.path(policy.parentCategory, source.admx, language);
    if (p && !out.some((q) => q.path === p.path)) out.push(p);
  }
  return out;
}

function resolveElements(policy: AdmxPolicy, tables: AdmlDocument[]): ResolvedElement[] {
  const shown = tables.map((t) => (policy.presentation ? lookup(t.presentations, policy.presentation) : undefined) ?? []);
  const order = shown.find((controls) => controls.length > 0) ?? [];
  const ordered: AdmxElement[] = [];
  for (const control of order) {
    const element = policy.elements.find((e) => e.id === control.refId);
    if (element && !ordered.includes(element)) ordered.push(element);
  }
  for (const element of policy.elements) if (!ordered.includes(element)) ordered.push(element);
  return ordered.map((element) => {
    const controls = shown.map((controls) => controls.find((c) => c.refId === element.id));
    const control = controls.find((c) => c !== undefined)?.kind;
    return {
      element,
      labels: distinct(controls.map((c) => c?.label)),
      ...(control ? { control } : {}),
      itemNames: element.type === 'enum' ? element.items.map((item) => distinct(tables.map((t) => resolveText(item.displayName, [t])))) : [],
    };
  });
}

/**
 * Fold a second definition of the same policy (another language, or a built-in that a loaded file replaced)
 * into the first: the first keeps its registry facts, the second only adds names.
 */
export function addAliases(primary: ResolvedPolicy, other: ResolvedPolicy): void {
  primary.displayNames = distinct([...primary.displayNames, ...other.displayNames]);
  for (const p of other.categoryPaths) if (!primary.categoryPaths.some((q) => q.path === p.path)) primary.categoryPaths.push(p);
  for (const mine of primary.elements) {
    const theirs = other.elements.find((e) => e.element.id === mine.element.id && e.element.type === mine.element.type);
    if (!theirs) continue;
    mine.labels = distinct([...mine.labels, ...theirs.labels]);
    if (mine.element.type !== 'enum' || theirs.element.type !== 'enum') continue;
    const theirItems = theirs.element.items;
    mine.element.items.forEach((item, i) => {
      const j = theirItems.findIndex((t) => sameValue(t.value, item.value));
      if (j >= 0) mine.itemNames[i] = distinct([...(mine.itemNames[i] ?? []), ...(theirs.itemNames[j] ?? [])]);
    });
  }
}

function sameValue(a: { kind: string; value?: unknown }, b: { kind: string; value?: unknown }): boolean {
  return a.kind === b.kind && a.value === b.value;
}

function distinct(values: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v === undefined || v === '') continue;
    if (!out.some((o) => o.toLowerCase() === v.toLowerCase())) out.push(v);
  }
  return out;
}

/**
 * References an ADMX makes that its ADML does not answer: policy and category names, enum items and
 * presentations. One warning per ADML (not per string) so a stale ADML does not flood the output.
 */
export function checkReferences(source: PolicySource): Problem[] {
  const table = source.adml[0];
  if (!table) {
    return [
      {
        file: source.admx.file,
        code: 'skipped-entry',
        severity: 'warning',
        message: 'no ADML found for this ADMX: its policies can be matched by registry value, not by display name',
      },
    ];
  }
  const missing: string[] = [];
  const need = (ref: TextRef) => {
    if ('stringId' in ref && lookup(table.strings, ref.stringId) === undefined) missing.push(`string ${ref.stringId}`);
  };
  for (const category of source.admx.categories) need(category.displayName);
  for (const policy of source.admx.policies) {
    need(policy.displayName);
    if (policy.presentation && lookup(table.presentations, policy.presentation) === undefined) {
      missing.push(`presentation ${policy.presentation}`);
    }
    for (const element of policy.elements) if (element.type === 'enum') for (const item of element.items) need(item.displayName);
  }
  if (missing.length === 0) return [];
  const shown = distinct(missing);
  return [
    {
      file: table.file,
      code: 'skipped-entry',
      severity: 'warning',
      message: `${shown.length} reference(s) from ${source.admx.file} not found, those names stay unknown: ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ', ...' : ''}`,
    },
  ];
}
