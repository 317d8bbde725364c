import { registryKey, registryPathKey } from '../model/keys.js';
import { type Hive, type PolicyElementValue, type PolicyScope, hiveForScope } from '../model/settings.js';
import type { PolicyCatalog, PolicyDefinitionView } from './catalog.js';
import { computeRegistryValues, type MappingResult } from './mapping.js';
import { addAliases, CategoryIndex, resolveSource, type CatalogInput, type ResolvedPolicy } from './resolve.js';
import type { AdmxValueList } from './types.js';

/** A catalogue entry as seen for one hive (a `Both` policy is seen once per hive). */
export interface CatalogPolicyView extends PolicyDefinitionView {
  hive: Hive;
  /** Category path in the preferred language, e.g. `System/Logon`. */
  category?: string;
  /** ADMX file the definition came from (`builtin:Logon.admx` for built-ins). */
  file: string;
  definition: ResolvedPolicy;
}

export interface AdmxPolicyCatalog extends PolicyCatalog {
  findByDisplayName(scope: PolicyScope, displayName: string, category?: string): CatalogPolicyView | undefined;
  findByRegistryValue(hive: Hive, key: string, valueName: string): CatalogPolicyView | undefined;
  /** Every policy, each once, in source order. */
  readonly policies: readonly ResolvedPolicy[];
  /** What it was made from (plain data): a worker thread makes its own copy from it (pipeline/read-estate-pool.ts). */
  readonly input: CatalogInput;
}

/**
 * Index resolved definitions both ways. Sources earlier in `input.sources` win for a policy id (compared
 * without case: one store has `MSI.admx`, another `msi.admx`); later definitions only add names.
 */
export function createPolicyCatalog(input: CatalogInput): AdmxPolicyCatalog {
  const categories = new CategoryIndex(input.sources);
  const byId = new Map<string, ResolvedPolicy>();
  for (const source of input.sources) {
    for (const resolved of resolveSource(source, categories)) {
      const known = byId.get(resolved.id.toLowerCase());
      if (known) addAliases(known, resolved);
      else byId.set(resolved.id.toLowerCase(), resolved);
    }
  }
  const policies = [...byId.values()];
  const byName = indexByName(policies);
  const byValue = new Map<string, ResolvedPolicy>();
  const byListKey = new Map<string, ResolvedPolicy>();
  for (const p of policies) indexValues(p, byValue, byListKey);

  return {
    policies,
    input,
    findByDisplayName(scope, displayName, category) {
      const hive = hiveForScope(scope);
      const candidates = (byName.get(normaliseName(displayName)) ?? []).filter((p) => p.hives.includes(hive));
      const chosen = pickByCategory(candidates, category);
      return chosen ? view(chosen, hive) : undefined;
    },
    findByRegistryValue(hive, key, valueName) {
      const found = byValue.get(registryKey(hive, key, valueName)) ?? byListKey.get(registryPathKey(hive, key));
      return found ? view(found, hive) : undefined;
    },
  };
}

function view(definition: ResolvedPolicy, hive: Hive): CatalogPolicyView {
  const category = definition.categoryPaths[0]?.path;
  return {
    id: definition.id,
    displayName: definition.displayNames[0] ?? definition.policy.name,
    hive,
    ...(category ? { category } : {}),
    file: definition.file,
    definition,
    registryValues(state: 'enabled' | 'disabled', elements: PolicyElementValue[]): MappingResult {
      return computeRegistryValues(definition, hive, state, elements);
    },
  };
}

function normaliseName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Report categories use `/`; people type `\`. Either way, compare level by level without case. */
function normaliseCategory(path: string): string {
  return path
    .split(/[\\/]/)
    .map((s) => normaliseName(s))
    .filter((s) => s !== '')
    .join('/');
}

function indexByName(policies: ResolvedPolicy[]): Map<string, ResolvedPolicy[]> {
  const byName = new Map<string, ResolvedPolicy[]>();
  for (const p of policies) {
    for (const name of p.displayNames) {
      const k = normaliseName(name);
      const list = byName.get(k) ?? [];
      if (!list.includes(p)) list.push(p);
      byName.set(k, list);
    }
  }
  return byName;
}

/**
 * One candidate is the answer. Several are told apart by the report's category; if that does not leave
 * exactly one, no answer is better than a guess that maps the setting to the wrong registry values.
 */
function pickByCategory(candidates: ResolvedPolicy[], category: string | undefined): ResolvedPolicy | undefined {
  if (candidates.length <= 1) return candidates[0];
  if (category === undefined) return undefined;
  const wanted = normaliseCategory(category);
  const matching = candidates.filter((p) =>
    p.categoryPaths.some(({ path, complete }) => {
      const have = normaliseCategory(path);
      return have === wanted || (!complete && wanted.endsWith(`/${have}`));
    }),
  );
  return matching.length === 1 ? matching[0] : undefined;
}

/** Every registry value a policy can write, so a Registry.pol record finds the policy behind it. First definition wins. */
function indexValues(p: ResolvedPolicy, byValue: Map<string, ResolvedPolicy>, byListKey: Map<string, ResolvedPolicy>): void {
  const { policy } = p;
  const add = (key: string, valueName: string) => {
    for (const hive of p.hives) if (!byValue.has(registryKey(hive, key, valueName))) byValue.set(registryKey(hive, key, valueName), p);
  };
  const addList = (list: AdmxValueList | undefined, fallbackKey: string) => {
    for (const item of list?.items ?? []) add(item.key ?? list?.defaultKey ?? fallbackKey, item.valueName);
  };
  if (policy.valueName !== undefined) add(policy.key, policy.valueName);
  addList(policy.enabledList, policy.key);
  addList(policy.disabledList, policy.key);
  for (const element of policy.elements) {
    const key = element.key ?? policy.key;
    if (element.type === 'list') {
      // A list's value names are whatever the user entered: the key alone identifies it.
      for (const hive of p.hives) if (!byListKey.has(registryPathKey(hive, key))) byListKey.set(registryPathKey(hive, key), p);
      continue;
    }
    add(key, element.valueName);
    if (element.type === 'boolean') {
      addList(element.trueList, key);
      addList(element.falseList, key);
    }
    if (element.type === 'enum') for (const item of element.items) addList(item.valueList, key);
  }
}
