// Routes live in the URL's hash, so every page is a link and the server serves one index.html:
//   #/                           overview
//   #/analytics, #/model, #/monitoring, #/experiments
//   #/session?items=A,B,C
//   #/recommendations?user=U&category=C
//   #/item/<id>

export interface Route {
  page: 'overview' | 'analytics' | 'recommendations' | 'session' | 'item' | 'model' | 'monitoring' | 'experiments' | 'unknown';
  params: URLSearchParams;
  id: string; // the item of #/item/<id>
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const question = text.indexOf('?');
  const path = question < 0 ? text : text.slice(0, question);
  const params = new URLSearchParams(question < 0 ? '' : text.slice(question + 1));
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'overview')) return { page: 'overview', params, id: '' };
  for (const page of ['analytics', 'session', 'model', 'monitoring', 'experiments'] as const) {
    if (parts.length === 1 && parts[0] === page) return { page, params, id: '' };
  }
  if (parts.length === 1 && parts[0] === 'recommendations') return { page: 'recommendations', params, id: '' };
  if (parts.length === 2 && parts[0] === 'item') return { page: 'item', params, id: decodeURIComponent(parts[1]) };
  return { page: 'unknown', params, id: '' };
}

export function go(page: string, params?: URLSearchParams): void {
  const query = params && [...params.keys()].length ? `?${params.toString()}` : '';
  location.hash = `#/${page}${query}`;
}
