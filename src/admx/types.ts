// The in-memory shape of ADMX and ADML files. The parsers produce it from real files and the built-in
// definitions are written in it by hand, so one resolver and one mapping code path serve both.

/** The namespace ADMX/ADML elements live in. Some third-party templates (MSS-legacy, LAPS) omit it. */
export const POLICY_DEFINITIONS_NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
/** Seen in in-box PowerShellExecutionPolicy.admx (Windows 10 1903 central store). */
export const LEGACY_POLICY_DEFINITIONS_NS = 'http://www.microsoft.com/GroupPolicy/PolicyDefinitions';

/** `$(string.X)` in an ADMX is a reference into the ADML string table; anything else is literal text. */
export type TextRef = { stringId: string } | { literal: string };

/** A registry value as `enabledValue`, `trueValue`, an enum item's `value` and list items write it. */
export type AdmxValue =
  | { kind: 'decimal'; value: number }
  /** `longDecimal` can exceed 2^53: kept as the decimal digits. */
  | { kind: 'longDecimal'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'delete' };

export interface AdmxListItem {
  /** Falls back to the list's `defaultKey`, then to the key of the policy or element the list belongs to. */
  key?: string;
  valueName: string;
  value: AdmxValue;
}

/** `enabledList`, `disabledList`, `trueList`, `falseList` and an enum item's `valueList`. */
export interface AdmxValueList {
  defaultKey?: string;
  items: AdmxListItem[];
}

interface ElementBase {
  id: string;
  /** Overrides the policy's key for this element. */
  key?: string;
  line?: number;
}

export interface AdmxBooleanElement extends ElementBase {
  type: 'boolean';
  valueName: string;
  trueValue?: AdmxValue;
  falseValue?: AdmxValue;
  trueList?: AdmxValueList;
  falseList?: AdmxValueList;
}

export interface AdmxDecimalElement extends ElementBase {
  type: 'decimal' | 'longDecimal';
  valueName: string;
  /** Written as REG_SZ digits instead of REG_DWORD / REG_QWORD. */
  storeAsText: boolean;
}

export interface AdmxTextElement extends ElementBase {
  type: 'text';
  valueName: string;
  /** Written as REG_EXPAND_SZ. */
  expandable: boolean;
}

export interface AdmxMultiTextElement extends ElementBase {
  type: 'multiText';
  valueName: string;
}

export interface AdmxEnumItem {
  displayName: TextRef;
  value: AdmxValue;
  /** Extra values the item writes besides its own. */
  valueList?: AdmxValueList;
}

export interface AdmxEnumElement extends ElementBase {
  type: 'enum';
  valueName: string;
  items: AdmxEnumItem[];
}

export interface AdmxListElement extends ElementBase {
  type: 'list';
  /** Present (possibly empty) when value names are `<prefix>1`, `<prefix>2`...; absent: each entry is its own value name. */
  valuePrefix?: string;
  /** The user gives value names and data (`explicitValue="true"`). */
  explicitValue: boolean;
  /** Keep the key's other values instead of clearing the key first. */
  additive: boolean;
  expandable: boolean;
}

export type AdmxElement =
  | AdmxBooleanElement
  | AdmxDecimalElement
  | AdmxTextElement
  | AdmxMultiTextElement
  | AdmxEnumElement
  | AdmxListElement;

export type AdmxElementType = AdmxElement['type'];

export type PolicyClass = 'Machine' | 'User' | 'Both';

export interface AdmxPolicy {
  name: string;
  class: PolicyClass;
  displayName: TextRef;
  /** Presentation id (from `$(presentation.X)`), when the policy has elements to show. */
  presentation?: string;
  key: string;
  valueName?: string;
  /** Raw reference as written: `Logon` (same file) or `windows:System` (prefix of another namespace). */
  parentCategory?: string;
  enabledValue?: AdmxValue;
  disabledValue?: AdmxValue;
  enabledList?: AdmxValueList;
  disabledList?: AdmxValueList;
  elements: AdmxElement[];
  line?: number;
}

export interface AdmxCategory {
  name: string;
  displayName: TextRef;
  parentCategory?: string;
  line?: number;
}

export interface AdmxDocument {
  /** Path shown in problems. */
  file: string;
  /** File name without `.admx`, case as on disk: the first half of a policy id (`Logon:HideFastUserSwitching`). */
  stem: string;
  /** The `target` namespace, e.g. `Microsoft.Policies.WindowsLogon`. */
  namespace: string;
  /** Prefix → namespace, including the target's own prefix. */
  prefixes: Record<string, string>;
  categories: AdmxCategory[];
  policies: AdmxPolicy[];
}

/** Controls of an ADML presentation; `refId` names the ADMX element the control edits. */
export type PresentationControlKind =
  | 'dropdownList'
  | 'decimalTextBox'
  | 'longDecimalTextBox'
  | 'textBox'
  | 'comboBox'
  | 'checkBox'
  | 'listBox'
  | 'multiTextBox';

export interface PresentationControl {
  kind: PresentationControlKind;
  refId: string;
  /** The label a report repeats as the element's `Name`. */
  label: string;
}

export interface AdmlDocument {
  file: string;
  /** Language folder the file came from (`en-US`, `de-DE`), when known. */
  language?: string;
  strings: Record<string, string>;
  presentations: Record<string, PresentationControl[]>;
}
