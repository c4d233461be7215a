import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';
import { MarkdownView } from './MarkdownView';

const html = (source: string) => renderToStaticMarkup(createElement(MarkdownView, { source }));

describe('notes Markdown', () => {
  it('reads headings, paragraphs with line breaks, rules, quotes and fenced code', () => {
    expect(parseMarkdown('# Title\n\nline one\nline two\n\n---\n> quoted **bit**\n\n```js\nconst a = 1 < 2;\n```')).toEqual([
      { t: 'h', level: 1, c: [{ t: 'text', v: 'Title' }] },
      { t: 'p', c: [{ t: 'text', v: 'line one' }, { t: 'br' }, { t: 'text', v: 'line two' }] },
      { t: 'hr' },
      { t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'quoted ' }, { t: 'strong', c: [{ t: 'text', v: 'bit' }] }] }] },
      { t: 'code', lang: 'js', v: 'const a = 1 < 2;' },
    ]);
  });

  it('reads bullet, numbered, nested and task lists', () => {
    const [list] = parseMarkdown('- one\n- [x] done\n  - nested\n- [ ] open');
    expect(list).toMatchObject({
      t: 'list', ordered: false,
      items: [
        { c: [{ t: 'text', v: 'one' }] },
        { checked: true, c: [{ t: 'text', v: 'done' }], sub: { t: 'list', items: [{ c: [{ t: 'text', v: 'nested' }] }] } },
        { checked: false, c: [{ t: 'text', v: 'open' }] },
      ],
    });
    expect(parseMarkdown('3. three\n4. four')[0]).toMatchObject({ t: 'list', ordered: true, start: 3 });
    expect(html('1. a\n2. b')).toBe('<div class="md"><ol><li>a</li><li>b</li></ol></div>');
  });

  it('reads bold, italic, strikethrough, code, links and bare URLs, leaving snake_case and lone stars alone', () => {
    expect(parseInline('**b** *i* _j_ ~~s~~ `c*d`')).toEqual([
      { t: 'strong', c: [{ t: 'text', v: 'b' }] }, { t: 'text', v: ' ' }, { t: 'em', c: [{ t: 'text', v: 'i' }] }, { t: 'text', v: ' ' },
      { t: 'em', c: [{ t: 'text', v: 'j' }] }, { t: 'text', v: ' ' }, { t: 'del', c: [{ t: 'text', v: 's' }] }, { t: 'text', v: ' ' }, { t: 'code', v: 'c*d' },
    ]);
    expect(parseInline('snake_case_name and 2 * 3 * 4')).toEqual([{ t: 'text', v: 'snake_case_name and 2 * 3 * 4' }]);
    expect(parseInline('see https://example.com/a?b=1.')).toEqual([
      { t: 'text', v: 'see ' }, { t: 'link', href: 'https://example.com/a?b=1', c: [{ t: 'text', v: 'https://example.com/a?b=1' }] }, { t: 'text', v: '.' },
    ]);
    expect(html('[docs](https://podium.example/docs) and [mail](mailto:a@b.c)')).toBe(
      '<div class="md"><p><a href="https://podium.example/docs" target="_blank" rel="noopener noreferrer nofollow">docs</a> and '
        + '<a href="mailto:a@b.c" target="_blank" rel="noopener noreferrer nofollow">mail</a></p></div>',
    );
  });

  it('never produces HTML from the notes, and links only to http, https and mailto', () => {
    const out = html('<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) [z](/relative) [w](JAVASCRIPT:alert(1))');
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/href="(?!https?:|mailto:)/);
    expect(out).toContain('&lt;script&gt;');
    expect(out).not.toContain('href');
    for (const bad of ['javascript:alert(1)', ' javascript:x', 'data:text/html,x', 'vbscript:x', '//evil.example', 'http//x', 'https://']) expect(safeHref(bad)).toBeNull();
    expect(safeHref('HTTPS://Example.com')).toBe('https://example.com/');
  });

  it('stays linear on hostile input (thousands of unmatched delimiters) and caps nesting', () => {
    const unmatched = '*a '.repeat(6_000);
    expect(parseInline(unmatched)).toEqual([{ t: 'text', v: unmatched }]);
    expect(parseInline('`'.repeat(10_000))).toEqual([{ t: 'text', v: '`'.repeat(10_000) }]);
    const deep = `${'> '.repeat(50)}x`;
    expect(JSON.stringify(parseMarkdown(deep)).length).toBeLessThan(2_000);
    expect(html('**'.repeat(3_000)).length).toBeGreaterThan(0);
  });
});
