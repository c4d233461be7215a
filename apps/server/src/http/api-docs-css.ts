/** Stylesheet of the API reference page: served from our origin, so the CSP needs no inline-style exception. */
export const API_DOCS_CSS = `
:root {
  --bg: #f7f8fa; --panel: #ffffff; --text: #1d2330; --muted: #667085; --line: #e4e7ec;
  --accent: #3b5bdb; --code-bg: #f1f3f7;
  --get: #1f7a4d; --post: #2f5fd0; --patch: #9a6700; --put: #8250df; --delete: #c4322f;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #111418; --panel: #191d23; --text: #e6e8eb; --muted: #98a2b3; --line: #2c323b;
    --accent: #7c9cff; --code-bg: #232830; --get: #4cc38a; --post: #7c9cff; --patch: #e3b341; --put: #b69cff; --delete: #ff7b72; }
  body .method { color: #111418; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
header { position: sticky; top: 0; z-index: 2; display: flex; align-items: center; justify-content: space-between;
  padding: 0.75rem 1.5rem; background: var(--panel); border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 1.25rem; }
header .version { color: var(--muted); font-weight: 400; font-size: 0.95rem; margin-left: 0.4rem; }
header .raw { font-family: ui-monospace, monospace; font-size: 0.85rem; border: 1px solid var(--line); padding: 0.2rem 0.6rem; border-radius: 6px; }
.layout { display: grid; grid-template-columns: 290px minmax(0, 1fr); max-width: 1400px; margin: 0 auto; }
nav { position: sticky; top: 3.3rem; align-self: start; max-height: calc(100vh - 3.3rem); overflow-y: auto;
  padding: 1rem 0.75rem 2rem 1.25rem; border-right: 1px solid var(--line); font-size: 0.85rem; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li.tag > a { display: block; margin-top: 0.9rem; font-weight: 600; color: var(--text); }
nav li li a { display: flex; gap: 0.4rem; align-items: baseline; padding: 0.15rem 0; color: var(--muted); }
nav li li a:hover { color: var(--text); }
main { padding: 1.5rem 2rem 4rem; }
main h2 { margin: 2.2rem 0 1rem; font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: 0.4rem; }
main h3 { margin: 1.2rem 0 0.4rem; font-size: 1.05rem; }
main h4 { margin: 1rem 0 0.4rem; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.intro, .op, .errors-table { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.intro h2, .errors-table h2 { margin-top: 0.2rem; }
.op { scroll-margin-top: 4rem; }
.op-head { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
.path { font-size: 1rem; word-break: break-all; }
.path .param { color: var(--accent); }
.method { display: inline-block; min-width: 4.2rem; text-align: center; padding: 0.15rem 0.5rem; border-radius: 6px;
  color: #fff; font-weight: 700; font-size: 0.8rem; font-family: ui-monospace, monospace; }
.method.small { min-width: 3.4rem; padding: 0 0.3rem; font-size: 0.68rem; }
.m-get { background: var(--get); } .m-post { background: var(--post); } .m-patch { background: var(--patch); }
.m-put { background: var(--put); } .m-delete { background: var(--delete); }
.summary { margin: 0.5rem 0 0.3rem; font-size: 1.02rem; }
.meta { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
.opid { color: var(--muted); }
.badge { display: inline-block; font-size: 0.75rem; padding: 0.05rem 0.5rem; border-radius: 999px; border: 1px solid var(--line); }
.badge.access { background: var(--code-bg); }
.badge.strict { border-color: var(--delete); color: var(--delete); }
.access-text { color: var(--muted); margin: 0.4rem 0 0; font-size: 0.9rem; }
.ctype, .status { font-family: ui-monospace, monospace; text-transform: none; letter-spacing: 0; color: var(--text); font-weight: 400; }
.status { font-weight: 700; }
table { width: 100%; border-collapse: collapse; font-size: 0.88rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
ul.schema { list-style: none; margin: 0.2rem 0 0.2rem 0; padding-left: 1rem; border-left: 2px solid var(--line); }
ul.schema ul.schema { margin-left: 0.3rem; }
ul.schema li { padding: 0.2rem 0; }
.field { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: baseline; }
.field.top { margin-bottom: 0.2rem; }
.field .name { font-weight: 600; }
.field .type { font-family: ui-monospace, monospace; font-size: 0.82rem; color: var(--accent); }
.field .req { font-size: 0.72rem; color: var(--delete); }
.field .opt { font-size: 0.72rem; color: var(--muted); }
.field .cons { font-size: 0.78rem; color: var(--muted); background: var(--code-bg); padding: 0 0.35rem; border-radius: 4px; word-break: break-all; }
.desc { color: var(--muted); font-size: 0.86rem; }
details > summary { cursor: pointer; color: var(--muted); font-size: 0.85rem; margin-bottom: 0.3rem; }
.errors code { background: var(--code-bg); padding: 0 0.3rem; border-radius: 4px; font-size: 0.78rem; }
.muted { color: var(--muted); font-size: 0.85rem; }
.intro code, .errors-table code { background: var(--code-bg); padding: 0 0.25rem; border-radius: 4px; }
.errors-table tr:target { background: var(--code-bg); }
@media (max-width: 900px) {
  .layout { grid-template-columns: 1fr; }
  nav { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--line); }
  main { padding: 1rem; }
}
`;
