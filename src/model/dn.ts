// Distinguished names, as LDAP (RFC 4514) and the exports write them. Pure text handling; no directory access.

export interface Rdn {
  /** Attribute type, lower case (`ou`, `dc`, `cn`). */
  type: string;
  /** Value, trimmed, escapes kept as written. */
  value: string;
}

/** Split a DN into RDNs on unescaped commas (and the `;` old exports use); types lower-case. */
export function splitDn(dn: string): Rdn[] {
  const out: Rdn[] = [];
  let start = 0;
  const push = (end: number) => {
    const rdn = dn.slice(start, end);
    const eq = rdn.indexOf('=');
    out.push(eq < 0 ? { type: '', value: rdn.trim() } : { type: rdn.slice(0, eq).trim().toLowerCase(), value: rdn.slice(eq + 1).trim() });
  };
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i];
    if (c === '\\') i++;
    else if (c === ',' || c === ';') {
      push(i);
      start = i + 1;
    }
  }
  if (dn.trim() !== '') push(dn.length);
  return out;
}
