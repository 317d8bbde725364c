// The audit report's script, inlined (and allowed by its hash). It draws the findings from the JSON data block
// (audit-data.ts) a page at a time, so a report of any size opens at once, and filters, sorts and regroups them
// without a server (it works from file://). Strings from the data go onto the page only as text nodes, never as
// markup. When the page is printed it draws every finding that the filters let through, expanded.
export const AUDIT_SCRIPT = `
(() => {
  'use strict';
  const RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  const LABEL = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const $ = (id) => document.getElementById(id);
  const list = $('findings-list');
  const status = $('findings-status');
  const moreButton = $('findings-more');
  const allButton = $('findings-all');
  const controls = $('findings-controls');
  const severityBoxes = Array.from(controls.querySelectorAll('input[name=severity]'));
  const ruleSelect = $('filter-rule');
  const textInput = $('filter-text');
  const waivedBox = $('filter-waived');
  const groupSelect = $('group-by');
  const sortSelect = $('sort-by');
  const count = new Intl.NumberFormat('en-US');
  let shown = data.pageSize;
  let matching = [];
  let printing = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function haystack(f) {
    if (f.hay === undefined) {
      const g = data.groups[f.group];
      const r = data.rules[f.rule];
      const parts = [r.id, f.title, f.text, g.label, g.detail || '', f.dn || '', f.notes.join(' ')];
      for (const l of f.locations) parts.push(l.where, l.setting);
      if (f.waiver) parts.push(f.waiver.reason, f.waiver.scope);
      f.hay = parts.join('\\n').toLowerCase();
    }
    return f.hay;
  }

  function selected() {
    const severities = new Set(severityBoxes.filter((b) => b.checked).map((b) => b.value));
    const rule = ruleSelect.value === '' ? -1 : Number(ruleSelect.value);
    const text = textInput.value.trim().toLowerCase();
    return { severities, rule, text, waived: waivedBox.checked, groupBy: groupSelect.value, sortBy: sortSelect.value };
  }

  const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  // GPO 2 before GPO 10, and case aside.
  const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;
  function comparator(sortBy) {
    const sev = (a, b) => RANK[b.severity] - RANK[a.severity];
    const rule = (a, b) => byText(data.rules[a.rule].id, data.rules[b.rule].id);
    const name = (a, b) => (a.group === b.group ? 0 : byName(data.groups[a.group].label, data.groups[b.group].label) || a.group - b.group);
    const order = sortBy === 'rule' ? [rule, sev, name] : sortBy === 'name' ? [name, sev, rule] : [sev, rule, name];
    return (a, b) => {
      for (const c of order) {
        const d = c(a, b);
        if (d !== 0) return d;
      }
      return a.index - b.index;
    };
  }

  /** The findings the controls let through, sorted, grouped; groups in the order of their first finding. */
  function compute(s) {
    const found = data.findings.filter((f) =>
      s.severities.has(f.severity) && (s.rule < 0 || f.rule === s.rule) && (s.waived || !f.waiver) && (s.text === '' || haystack(f).includes(s.text)));
    found.sort(comparator(s.sortBy));
    const groups = new Map();
    for (const f of found) {
      const key = s.groupBy === 'rule' ? f.rule : f.group;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { key, findings: [] }));
      g.findings.push(f);
    }
    const ordered = [];
    for (const g of groups.values()) for (const f of g.findings) ordered.push({ f, g });
    return ordered;
  }

  function severityBadge(severity) {
    return el('span', 'badge ' + severity, LABEL[severity]);
  }

  function whyAndFix(r, f) {
    const box = el('div', 'why');
    if (r.rationale) {
      box.append(el('h5', '', 'Why it matters'), el('p', 'pre', r.rationale));
    }
    const fix = f && f.notConfigured && r.notConfiguredRemediation ? r.notConfiguredRemediation : r.remediation;
    if (fix) box.append(el('h5', '', 'How to fix'), el('p', 'pre', fix));
    if (r.references.length > 0) {
      box.append(el('h5', '', 'References'));
      const ul = el('ul');
      for (const ref of r.references) {
        const li = el('li');
        // Only web addresses become links: a rules file could name a javascript: URL.
        if (ref.url && /^https?:\\/\\//i.test(ref.url)) {
          const a = el('a', '', ref.title);
          a.href = ref.url;
          a.rel = 'noreferrer noopener';
          li.append(a);
        } else {
          li.append(ref.title);
          if (ref.url || ref.doc) li.append(' (', el('code', '', ref.url || ref.doc), ')');
        }
        ul.append(li);
      }
      box.append(ul);
    }
    return box;
  }

  function groupHeader(g, groupBy, total) {
    const section = el('section', 'group');
    const h = el('h3');
    const d = el('p', 'detail muted');
    if (groupBy === 'rule') {
      const r = data.rules[g.key];
      h.append(severityBadge(r.severity), ' ', r.title);
      d.append('Rule ', el('code', '', r.id), ' · ' + count.format(total) + (total === 1 ? ' finding' : ' findings'));
      section.append(h, d);
      const details = el('details');
      details.append(el('summary', '', 'Why it matters and how to fix'), whyAndFix(r, null));
      section.append(details);
    } else {
      const grp = data.groups[g.key];
      h.append((grp.kind === 'gpo' ? 'GPO ' : grp.kind === 'user' ? 'User ' : '') + grp.label);
      d.textContent = (grp.detail ? grp.detail + ' · ' : '') + count.format(total) + (total === 1 ? ' finding' : ' findings');
      section.append(h, d);
    }
    return section;
  }

  function findingNode(f, groupBy) {
    const r = data.rules[f.rule];
    const node = el('article', 'finding ' + f.severity + (f.waiver ? ' is-waived' : ''));
    node.dataset.severity = f.severity;
    node.dataset.rule = r.id;
    node.dataset.fingerprint = f.fingerprint;
    if (f.waiver) node.dataset.waived = 'true';
    const h = el('h4');
    h.append(severityBadge(f.severity), ' ');
    if (f.waiver) h.append(el('span', 'badge waived', 'Waived'), ' ');
    h.append(f.title);
    node.append(h);
    const subject = el('p', 'subject');
    if (groupBy === 'rule') {
      const g = data.groups[f.group];
      subject.append((g.kind === 'gpo' ? 'GPO ' : g.kind === 'user' ? 'User ' : '') + g.label + (g.detail ? ' (' + g.detail + ')' : ''));
    } else {
      const a = el('a');
      a.href = '#' + r.anchor;
      a.append('Rule ', el('code', '', r.id));
      subject.append(a);
    }
    node.append(subject);
    if (f.text) node.append(el('p', 'message', f.text));
    if (f.dn) {
      const p = el('p');
      p.append('Directory entry: ', el('code', '', f.dn));
      node.append(p);
    }
    if (f.locations.length > 0) {
      const ul = el('ul', 'locations');
      ul.setAttribute('aria-label', 'Where it is set');
      for (const l of f.locations) {
        const li = el('li');
        li.append(el('code', 'where', l.where), ' ', l.setting);
        ul.append(li);
      }
      node.append(ul);
    }
    for (const n of f.notes) node.append(el('p', 'note', n));
    if (f.waiver) {
      node.append(el('p', 'waiver', 'Waived until ' + f.waiver.expires + ': ' + f.waiver.reason + ' (waiver for ' + f.waiver.scope + ')'));
    }
    if (groupBy !== 'rule' && (r.rationale || r.remediation || r.references.length > 0)) {
      const details = el('details');
      details.append(el('summary', '', 'Why it matters and how to fix'), whyAndFix(r, f));
      node.append(details);
    }
    return node;
  }

  function describeFilters(s) {
    const parts = [];
    if (s.severities.size < severityBoxes.length) parts.push('severity ' + (Array.from(s.severities).join(', ') || 'none'));
    if (s.rule >= 0) parts.push('rule ' + data.rules[s.rule].id);
    if (s.text) parts.push('text "' + textInput.value.trim() + '"');
    if (!s.waived) parts.push('waived findings hidden');
    return parts;
  }

  function render() {
    const s = selected();
    matching = compute(s);
    const limit = printing ? matching.length : Math.min(shown, matching.length);
    const totals = new Map();
    for (const m of matching) totals.set(m.g, (totals.get(m.g) || 0) + 1);
    const fragment = document.createDocumentFragment();
    let current = null;
    let section = null;
    for (let i = 0; i < limit; i++) {
      const m = matching[i];
      if (m.g !== current) {
        current = m.g;
        section = groupHeader(m.g, s.groupBy, totals.get(m.g));
        fragment.append(section);
      }
      section.append(findingNode(m.f, s.groupBy));
    }
    if (printing) for (const d of fragment.querySelectorAll('details')) d.open = true;
    list.replaceChildren(fragment);
    const filters = describeFilters(s);
    const of = count.format(matching.length) + (matching.length === 1 ? ' finding' : ' findings');
    let line = matching.length === 0 ? (data.findings.length === 0 ? 'No findings.' : 'No finding matches the filters.') : limit < matching.length ? 'Showing ' + count.format(limit) + ' of ' + of + '.' : 'Showing all ' + of + '.';
    if (filters.length > 0) line += ' Filtered by ' + filters.join('; ') + ' (' + count.format(data.findings.length) + ' in all).';
    status.textContent = line;
    const rest = matching.length - limit;
    moreButton.hidden = allButton.hidden = rest <= 0;
    moreButton.textContent = 'Show ' + count.format(Math.min(rest, data.pageSize)) + ' more';
    allButton.textContent = 'Show all ' + count.format(matching.length);
  }

  let timer = 0;
  function rerender() {
    shown = data.pageSize;
    render();
  }
  for (const b of severityBoxes) b.addEventListener('change', rerender);
  for (const c of [ruleSelect, waivedBox, groupSelect, sortSelect]) c.addEventListener('change', rerender);
  textInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(rerender, 150);
  });
  moreButton.addEventListener('click', () => {
    shown += data.pageSize;
    render();
  });
  allButton.addEventListener('click', () => {
    shown = matching.length;
    render();
  });

  // Printing shows everything the filters let through, expanded; afterwards the page is as it was.
  function startPrint() {
    if (printing) return;
    const closed = Array.from(document.querySelectorAll('details:not([open])'));
    printing = { closed };
    for (const d of closed) d.open = true;
    render();
    document.documentElement.dataset.printing = 'true';
  }
  function endPrint() {
    if (!printing) return;
    const { closed } = printing;
    printing = null;
    for (const d of closed) if (d.isConnected) d.open = false;
    render();
    delete document.documentElement.dataset.printing;
  }
  window.addEventListener('beforeprint', startPrint);
  window.addEventListener('afterprint', endPrint);
  const printQuery = window.matchMedia('print');
  printQuery.addEventListener('change', (e) => (e.matches ? startPrint() : endPrint()));

  data.findings.forEach((f, i) => (f.index = i));
  controls.hidden = false;
  if (printQuery.matches) startPrint();
  else render();
  document.documentElement.dataset.ready = 'true';
})();
`;
