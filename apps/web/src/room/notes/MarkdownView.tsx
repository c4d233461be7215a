import { createElement, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from './markdown';

function inline(nodes: Inline[], key = ''): ReactNode[] {
  return nodes.map((n, i) => {
    const k = `${key}${i}`;
    switch (n.t) {
      case 'text':
        return n.v;
      case 'br':
        return <br key={k} />;
      case 'code':
        return <code key={k}>{n.v}</code>;
      case 'strong':
        return <strong key={k}>{inline(n.c, `${k}.`)}</strong>;
      case 'em':
        return <em key={k}>{inline(n.c, `${k}.`)}</em>;
      case 'del':
        return <del key={k}>{inline(n.c, `${k}.`)}</del>;
      case 'link':
        return (
          <a key={k} href={n.href} target="_blank" rel="noopener noreferrer nofollow">
            {inline(n.c, `${k}.`)}
          </a>
        );
    }
  });
}

/** Spoken labels of task boxes (translated by the caller). */
export interface TaskLabels {
  done: string;
  open: string;
}

function block(b: Block, k: string, labels: TaskLabels): ReactNode {
  switch (b.t) {
    case 'h':
      return createElement(`h${b.level}`, { key: k }, inline(b.c));
    case 'p':
      return <p key={k}>{inline(b.c)}</p>;
    case 'hr':
      return <hr key={k} />;
    case 'code':
      return (
        <pre key={k} data-lang={b.lang || undefined}>
          <code>{b.v}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={k}>{b.c.map((c, i) => block(c, `${k}.${i}`, labels))}</blockquote>;
    case 'list': {
      const items = b.items.map((it, i) => (
        <li key={i} className={it.checked === undefined ? undefined : 'md-task'}>
          {it.checked !== undefined && <input type="checkbox" checked={it.checked} readOnly disabled aria-label={it.checked ? labels.done : labels.open} />}
          {inline(it.c)}
          {it.sub && block(it.sub, `${k}.${i}`, labels)}
        </li>
      ));
      return b.ordered ? (
        <ol key={k} start={b.start === 1 ? undefined : b.start}>
          {items}
        </ol>
      ) : (
        <ul key={k}>{items}</ul>
      );
    }
  }
}

/** Markdown rendered as React elements (never as HTML): the notes' preview. */
export function MarkdownView({ source, className, taskLabels = { done: 'done', open: 'open' } }: { source: string; className?: string; taskLabels?: TaskLabels }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div className={className ?? 'md'}>{blocks.map((b, i) => block(b, String(i), taskLabels))}</div>;
}
