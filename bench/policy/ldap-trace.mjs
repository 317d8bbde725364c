// Preload (node --import) for the policy bench's untimed check run: writes every bind and search gpaudit sends
// through ldapts, one JSON line each, to $GPAUDIT_BENCH_LDAP_TRACE, so the bench can check that its ldapsearch
// baseline sends the same reads. gpaudit's own modules import the same ldapts module, so patching its prototype here
// sees their calls. Does nothing without the variable.
import { appendFileSync } from 'node:fs';
import { Client } from 'ldapts';

const file = process.env.GPAUDIT_BENCH_LDAP_TRACE;
if (file) {
  const log = (record) => appendFileSync(file, `${JSON.stringify(record)}\n`);
  const search = (kind, base, options = {}, controls = []) => ({
    kind,
    base,
    scope: options.scope ?? 'sub',
    filter: String(options.filter ?? '(objectclass=*)'),
    attributes: options.attributes ?? [],
    paged: Boolean(options.paged),
    controls: (controls ?? []).map((c) => c.type),
  });
  const original = { bind: Client.prototype.bind, search: Client.prototype.search, searchPaginated: Client.prototype.searchPaginated, send: Client.prototype._sendSearch };
  Client.prototype.bind = function bind(dn, ...rest) {
    log({ kind: 'bind', dn: typeof dn === 'string' ? dn : '(sasl)' });
    return original.bind.call(this, dn, ...rest);
  };
  Client.prototype.search = function traced(base, options, controls) {
    log(search('search', base, options, controls));
    return original.search.call(this, base, options, controls);
  };
  Client.prototype.searchPaginated = function tracedPages(base, options, controls) {
    log(search('searchPaginated', base, options, controls));
    return original.searchPaginated.call(this, base, options, controls);
  };
  // One call per search request sent (a paged search sends one per page).
  Client.prototype._sendSearch = function tracedRequest(...args) {
    log({ kind: 'request' });
    return original.send.apply(this, args);
  };
}
