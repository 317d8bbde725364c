// The reports' one stylesheet, inlined (and allowed by its hash): light and dark themes from the reader's system,
// and a print layout with every finding expanded and no controls. Colours are chosen for at least 4.5:1 contrast
// of text on its background in both themes (test/html checks this with axe-core).
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #4d5761; --card: #f5f7f9; --border: #c9d1d9; --link: #0646a8; --focus: #0646a8;
  --sev-critical: #8e0b0b; --sev-high: #b3261e; --sev-medium: #7a4d00; --sev-low: #0b57a4; --sev-info: #4d5761;
  --on-sev: #ffffff; --waived: #5b4a8a; --ok: #1d6b35; --bad: #a3160f; --warn: #7a4d00;
  --chart-track: #e6eaee;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11151a; --fg: #e8edf2; --muted: #a9b4bf; --card: #1b2128; --border: #3a444f; --link: #8cc4ff; --focus: #8cc4ff;
    --sev-critical: #ff9c96; --sev-high: #ffab70; --sev-medium: #e9c46a; --sev-low: #8cc4ff; --sev-info: #c3ccd5;
    --on-sev: #11151a; --waived: #c9b8ff; --ok: #7ee2a0; --bad: #ff9c96; --warn: #e9c46a;
    --chart-track: #2a323b;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 78rem; padding: 0 1.25rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; overflow-wrap: anywhere; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 0.4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.08rem; margin: 1.4rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0 0 0.25rem; }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--bg); padding: 0.3rem 0.6rem; z-index: 10; }
.muted { color: var(--muted); }
.pre { white-space: pre-line; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.8rem 0; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.verdict { font-weight: 600; padding: 0.5rem 0.8rem; border-left: 5px solid var(--ok); background: var(--card); margin: 0.6rem 0; }
.verdict.fail { border-left-color: var(--bad); }
nav ul { list-style: none; padding: 0; margin: 0.6rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
table.counts { min-width: 17rem; }
.summary { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; align-items: flex-start; }
.chart { width: 100%; max-width: 26rem; height: auto; }
.chart text { fill: var(--fg); font-size: 13px; }
.chart .track { fill: var(--chart-track); }
.bar-critical { fill: var(--sev-critical); } .bar-high { fill: var(--sev-high); } .bar-medium { fill: var(--sev-medium); }
.bar-low { fill: var(--sev-low); } .bar-info { fill: var(--sev-info); }
table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; width: 100%; }
table.counts { width: auto; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.7rem 0.25rem 0; border-bottom: 1px solid var(--border); }
th[scope=col] { white-space: nowrap; }
td { min-width: 5.5rem; }
td:first-child { min-width: 12rem; }
td.num:first-child { min-width: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 4.6rem; text-align: center; padding: 0 0.45rem; border-radius: 0.25rem; font-size: 0.82rem; font-weight: 700; color: var(--on-sev); vertical-align: 0.08em; }
.badge.critical { background: var(--sev-critical); } .badge.high { background: var(--sev-high); } .badge.medium { background: var(--sev-medium); }
.badge.low { background: var(--sev-low); } .badge.info { background: var(--sev-info); }
.badge.waived { background: var(--waived); }
.badge.error { background: var(--bad); } .badge.warning { background: var(--warn); }
.callout { border: 1px solid var(--border); border-left: 5px solid var(--bad); background: var(--card); padding: 0.4rem 0.9rem; margin: 0.6rem 0; }
.callout.warn { border-left-color: var(--warn); }
.callout.ok { border-left-color: var(--ok); }
.controls { display: flex; flex-wrap: wrap; gap: 0.6rem 1.4rem; align-items: flex-end; background: var(--card); border: 1px solid var(--border); padding: 0.6rem 0.9rem; margin: 0.6rem 0; }
.controls fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; }
.controls legend { font-weight: 600; padding: 0; margin-bottom: 0.15rem; }
.controls label.field { display: flex; flex-direction: column; font-weight: 600; gap: 0.15rem; }
.controls label.check { font-weight: normal; white-space: nowrap; }
.controls input[type=search], .controls select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 0.25rem; padding: 0.2rem 0.4rem; }
.controls input[type=search] { min-width: 16rem; }
button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 0.25rem; padding: 0.25rem 0.8rem; cursor: pointer; }
.status { font-weight: 600; margin: 0.4rem 0; }
.group { margin: 1rem 0 1.4rem; }
.group > h3 { margin-bottom: 0.1rem; }
.group .detail { margin: 0 0 0.5rem; }
/* Off-screen findings are not laid out until scrolled near: "Show all" on 10,000 findings stays quick. Printing
   renders them all the same (Chromium forces them when printing; switching this off for print cost 100 s here). */
.finding { content-visibility: auto; contain-intrinsic-size: auto 9rem; }
.finding { border: 1px solid var(--border); border-left: 5px solid var(--sev-info); border-radius: 0.2rem; padding: 0.5rem 0.8rem; margin: 0.5rem 0; }
.finding.critical { border-left-color: var(--sev-critical); } .finding.high { border-left-color: var(--sev-high); }
.finding.medium { border-left-color: var(--sev-medium); } .finding.low { border-left-color: var(--sev-low); }
.finding.is-waived { border-left-style: dashed; }
.finding p { margin: 0.2rem 0; }
.finding .subject { color: var(--muted); }
.finding ul { margin: 0.2rem 0; padding-left: 1.2rem; }
.finding .waiver { border-left: 3px solid var(--waived); padding-left: 0.5rem; }
.locations li { margin: 0.1rem 0; }
details { margin: 0.3rem 0; }
summary { cursor: pointer; font-weight: 600; }
.why h5 { font-size: 0.95rem; margin: 0.5rem 0 0.1rem; }
.rule-entry { border-top: 1px solid var(--border); padding-top: 0.3rem; }
.more { display: flex; gap: 0.8rem; margin: 0.8rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.9rem; }
@media print {
  :root { --bg: #ffffff; --fg: #000000; --muted: #333333; --card: #ffffff; --border: #999999; --link: #000000; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .controls, nav, .more, .skip, noscript { display: none !important; }
  .finding, .rule-entry, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { text-decoration: none; }
  .badge { border: 1px solid #000000; }
}
`;
