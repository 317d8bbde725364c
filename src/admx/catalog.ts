import type { Hive, PolicyElementValue, PolicyScope, RegistryData } from '../model/settings.js';

/**
 * The ADMX knowledge gpaudit needs in both directions:
 *  - report → registry: a policy shown by display name (in whatever language) with its state and
 *    element values becomes the registry values it writes;
 *  - registry → policy: a Registry.pol value is annotated with the policy that writes it.
 * Built-in definitions cover every policy the WorkSpaces rules need; `--admx` adds full ADMX/ADML sets.
 */
export interface PolicyCatalog {
  /** Find a policy by the display name a report shows, in the catalogue's languages. Category narrows ties. */
  findByDisplayName(scope: PolicyScope, displayName: string, category?: string): PolicyDefinitionView | undefined;
  /** The policy (if any) that writes this registry value. */
  findByRegistryValue(hive: Hive, key: string, valueName: string): PolicyDefinitionView | undefined;
}

export interface PolicyDefinitionView {
  /** `Logon:HideFastUserSwitching`: ADMX file stem and policy name. */
  id: string;
  displayName: string;
  /**
   * Registry values the policy writes for the given state and element values (element values as the
   * report shows them: dropdowns by display text, numbers, text, checkboxes). Values that cannot be
   * derived are omitted and listed in `unresolved` with the reason.
   */
  registryValues(state: 'enabled' | 'disabled', elements: PolicyElementValue[]): {
    values: MappedRegistryValue[];
    unresolved: string[];
  };
}

export type MappedRegistryValue =
  | { hive: Hive; key: string; valueName: string; op: 'set'; data: RegistryData }
  | { hive: Hive; key: string; valueName: string; op: 'delete' };
