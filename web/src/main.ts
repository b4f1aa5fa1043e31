// The dashboard's entry: renders the page the URL's hash names into <main>, and the serving
// model's name into the header. A render that a newer navigation overtook is dropped.
import * as api from './api';
import { errorBox, h } from './dom';
import { renderAnalytics } from './pages/analytics';
import { renderExperiments } from './pages/experiments';
import { renderItem } from './pages/item';
import { renderModel } from './pages/model';
import { renderMonitoring } from './pages/monitoring';
import { renderOverview } from './pages/overview';
import { renderRecommendations } from './pages/recommendations';
import { renderSession } from './pages/session';
import { parseRoute } from './router';

let generation = 0;

// focus: after a navigation (not the first load) focus moves to <main>, so that the keyboard
// and screen readers continue in the new page rather than at a link that no longer exists.
async function render(focus = false): Promise<void> {
  const mine = ++generation;
  const route = parseRoute(location.hash);
  const main = document.getElementById('main') as HTMLElement;
  // data-hash: the route this view shows (tests wait for it after a navigation).
  const view = h('div', { class: 'view', 'aria-busy': 'true', 'data-hash': location.hash });
  // What a page calls to redraw itself (after a define, a retrain): nothing once another render
  // began, so that a page left behind (a retrain's delayed refresh) never redraws the page now
  // shown and wipes what the user is typing there.
  const stillShown = (): boolean => generation === mine;
  const redraw = (): void => {
    if (stillShown()) void render();
  };
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-page]')) {
    const here = link.dataset.page === route.page;
    if (here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    switch (route.page) {
      case 'overview':
        await renderOverview(view);
        break;
      case 'analytics':
        await renderAnalytics(view);
        break;
      case 'session':
        await renderSession(view, route.params);
        break;
      case 'model':
        await renderModel(view, redraw);
        break;
      case 'experiments':
        await renderExperiments(view, redraw);
        break;
      case 'monitoring':
        await renderMonitoring(view, stillShown);
        break;
      case 'recommendations':
        await renderRecommendations(view, route.params);
        break;
      case 'item':
        await renderItem(view, route.id);
        break;
      default:
        view.append(h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Overview')));
    }
  } catch (error) {
    view.append(errorBox(error));
  }
  if (mine !== generation) return;
  view.removeAttribute('aria-busy');
  main.replaceChildren(view);
  if (focus) main.focus({ preventScroll: true });
  document.title = `${view.querySelector('h1')?.textContent ?? 'aisle'} · aisle`;
}

async function showModel(): Promise<void> {
  const slot = document.getElementById('model');
  if (!slot) return;
  try {
    const m = await api.model();
    slot.textContent = `${m.kind} · v${m.version}`;
    slot.title = m.spec;
  } catch {
    slot.textContent = 'no model yet';
  }
}

addEventListener('hashchange', () => void render(true));
void render();
void showModel();
