// A small element builder (text always goes in as text, never as HTML: catalog names are data)
// and the formats the pages share.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.replace(/^on/, ''), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const integer = new Intl.NumberFormat('en');
const money = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const count = (n: number): string => integer.format(n);
export const price = (p: number | null | undefined): string => (p === null || p === undefined ? '—' : money.format(p));
export const score = (s: number | undefined): string => (s === undefined ? '' : s.toPrecision(4));

export function itemHref(id: string): string {
  return `#/item/${encodeURIComponent(id)}`;
}

// A product image when the catalog has one, else an empty placeholder of the same size.
export function thumbnail(url: string | null, alt: string): HTMLElement {
  if (!url) return h('span', { class: 'thumb none', 'aria-hidden': 'true' });
  return h('img', { class: 'thumb', src: url, alt, loading: 'lazy', referrerpolicy: 'no-referrer' });
}

export function errorBox(error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  return h('p', { class: 'error', role: 'alert' }, message);
}
