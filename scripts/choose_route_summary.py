#!/usr/bin/env python3
"""Tables of scripts/choose-route.sh's reports (docs/results/choose-route.md).

Usage: choose_route_summary.py OUT_DIR. Reads OUT_DIR/{val,test}-*/report.json (and the
new-users reports under first-N/) and prints Markdown: every model's NDCG@10 with its 95%
interval and per-segment figures, the new-users figures after 1, 3 and 5 events, the next-item
figures, and the comparisons the choice rests on.
"""
import json
import os
import sys

out = sys.argv[1]
DATASETS = ['online-retail-uci', 'ml-1m-partial', 'retailrocket-caserec', 'ml-100k', 'yoochoose']
SHORT = {'online-retail-uci': 'OR', 'ml-1m-partial': 'ML-1M', 'retailrocket-caserec': 'RR',
         'ml-100k': 'ML-100K', 'yoochoose': 'YC'}
VSTAN = ('session_knn:variant=vstan,neighbors=1500,sample_size=10000,lambda_spw=0.5,'
         'lambda_inh=2,lambda_ipw=2,lambda_idf=2')
VSTAN_B = ('session_knn:variant=vstan,neighbors=2000,sample_size=2500,lambda_spw=8,lambda_snh=10,'
           'lambda_inh=8,lambda_ipw=0.5,lambda_idf=2')


def split_models(arg):
    """--models as the CLI splits it: commas outside parentheses; key=value continues a spec."""
    parts, depth, cur = [], 0, ''
    for ch in arg:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    parts.append(cur)
    specs = []
    for p in parts:
        if specs and '=' in p and ':' not in p and '(' not in p:
            specs[-1] += ',' + p
        else:
            specs.append(p)
    return specs


def names(rep):
    cmd = rep['command']
    arg = cmd.split('--models ', 1)[1]
    arg = arg.split(' --', 1)[0]
    specs = split_models(arg)
    if len(specs) != len(rep['models']):
        return [m['label'] for m in rep['models']]
    return [s.replace(VSTAN, 'vstan(A)').replace(VSTAN_B, 'vstan(B)') for s in specs]


def load(path):
    p = os.path.join(out, path, 'report.json')
    return json.load(open(p)) if os.path.exists(p) else None


def ci(metric):
    v = metric['value']
    if 'ci95' in metric:
        lo, hi = metric['ci95']
        return f'{v:.4f} [{lo:.4f}, {hi:.4f}]'
    return f'{v:.4f}'


def llo_table(tag, title):
    rows = {}
    for d in DATASETS:
        rep = load(f'{tag}-{d}')
        if not rep:
            continue
        segs = [s for s in rep['segments']]
        print(f'\n#### {title}: {d}\n')
        ds = rep['dataset']
        print(f"{rep['split']}; {ds['train_pairs']:,} training pairs, {ds['evaluated_users']:,} users "
              f"evaluated on {ds['test_pairs']:,} test pairs; {rep['bootstrap_resamples']} resamples\n")
        head = ' | '.join(f"{s['name']} ({s['users']:,})" for s in segs)
        print(f'| model | NDCG@10 [95% CI] | HR@10 | {head} | routes (users) |')
        print('|---|---|---|' + '---|' * len(segs) + '---|')
        for name, m in zip(names(rep), rep['models']):
            seg = ' | '.join(f"{m['segments'][s['name']]['ndcg@10']:.4f}" for s in segs)
            routes = ''
            if m.get('routes'):
                routes = ', '.join(f"{k} {v['ndcg@10']:.4f} ({v['users']:,})"
                                   for k, v in m['routes'].items() if v['users'])
            print(f"| `{name}` | {ci(m['metrics']['ndcg@10'])} | {m['metrics']['hr@10']['value']:.4f} "
                  f"| {seg} | {routes} |")
            rows.setdefault(name, {})[d] = m
    return rows


def new_users_table(tag, title):
    rows = {}
    for d in DATASETS:
        reps = {n: load(f'{tag}-{d}/first-{n}') for n in (1, 3, 5)}
        if not all(reps.values()):
            continue
        print(f'\n#### {title}: {d}\n')
        print(f"{reps[1]['split']}; evaluated users: " +
              ', '.join(f"{reps[n]['dataset']['evaluated_users']} (first-{n})" for n in reps) + '\n')
        print('| model | after 1 event [95% CI] | after 3 | after 5 | NDCG@10 vs popularity (p), after 1 / 3 / 5 |')
        print('|---|---|---|---|---|')
        base = {n: reps[n]['models'][0]['metrics']['ndcg@10']['value'] for n in reps}
        for i, name in enumerate(names(reps[1])):
            ms = [reps[n]['models'][i] for n in (1, 3, 5)]
            def lift(n, m):
                vb = m.get('vs_baseline', {}).get('ndcg@10')
                if not vb:
                    return '-'
                p = vb['p_value']
                return f"{vb['lift']:+.0%} (p {'<0.001' if p < 0.001 else f'{p:.3f}'})"
            lifts = ' / '.join(lift(n, m) for n, m in zip((1, 3, 5), ms))
            print(f"| `{name}` | " + ' | '.join(ci(m['metrics']['ndcg@10']) for m in ms) + f' | {lifts} |')
            rows.setdefault(name, {})[d] = {n: m for n, m in zip((1, 3, 5), ms)}
    return rows


def next_item_table(tag, title):
    """next-item writes report.md only: its table, with the specs shortened."""
    p = os.path.join(out, f'{tag}-yoochoose', 'report.md')
    if not os.path.exists(p):
        return {}
    lines = open(p).read().splitlines()
    print(f'\n#### {title}\n')
    rows = {}
    for line in lines:
        if line.startswith('next-item on'):
            print(line.split(': ', 1)[1] + '\n')
        elif line.startswith('|'):
            cells = [c.strip() for c in line.strip('|').split('|')]
            if cells[0] not in ('model', '---'):
                cells[0] = '`' + shorten(cells[0]) + '`'
                rows[cells[0]] = cells[1:]
            print('| ' + ' | '.join(cells) + ' |')
    return rows


DEFAULTS = [',max_items=20000', ':by=weight,window_days=0', ',window_days=0', ':half_life_days=7',
            ',lambda_snh=5', ':steps=10,pruning=0', ':neighbors=100,shrink=0,weighting=none',
            ':regularization=500,transform=binary,recency=2', 'normalize=min-max',
            ':factors=64,regularization=0.05,alpha=2,iterations=15,cg_steps=3,transform=log1p']


def shorten(spec):
    spec = spec.replace(VSTAN.replace('lambda_inh', 'lambda_snh=5,lambda_inh'), 'vstan(A)')
    spec = spec.replace(VSTAN_B, 'vstan(B)')
    for d in DEFAULTS:
        spec = spec.replace(d, '')
    spec = spec.replace('session_knn:variant=vstan,neighbors=100,sample_size=5000,lambda_spw=1.02,'
                        'lambda_inh=2.05,lambda_ipw=1.02,lambda_idf=5', 'session_knn')
    spec = spec.replace(',neighbors=100,sample_size=5000,lambda_spw=1.02,lambda_inh=2.05,lambda_ipw=1.02,'
                        'lambda_idf=5', '')
    return spec.replace('blend:(', 'blend(')


def share_of_best(table, candidates, key):
    """min over datasets of a candidate's share of the best candidate there."""
    res = []
    datasets = sorted({d for c in candidates if c in table for d in table[c]}, key=DATASETS.index)
    for c in candidates:
        if c not in table:
            continue
        shares = []
        for d in datasets:
            best = max(key(table[o][d]) for o in candidates if o in table and d in table[o])
            shares.append(key(table[c][d]) / best if best else 1.0)
        res.append((min(shares), c, shares))
    res.sort(reverse=True)
    print('| candidate | worst-case share of the best | ' + ' | '.join(SHORT[d] for d in datasets) + ' |')
    print('|---|---|' + '---|' * len(datasets))
    for worst, c, shares in res:
        print(f'| `{c}` | {worst:.3f} | ' + ' | '.join(f'{s:.3f}' for s in shares) + ' |')


def against(table, model, ref, datasets_metric=lambda m: m['metrics']['ndcg@10']):
    print(f'| data set | `{ref}` NDCG@10 [95% CI] | `{model}` | within the interval or better |')
    print('|---|---|---|---|')
    for d in DATASETS:
        if d not in table.get(ref, {}) or d not in table.get(model, {}):
            continue
        r = datasets_metric(table[ref][d])
        v = datasets_metric(table[model][d])['value']
        ok = v >= r['ci95'][0]
        print(f"| {d} | {ci(r)} | {v:.4f} ({v / r['value'] - 1:+.1%}) | {'yes' if ok else '**no**'} |")


def route_grid(llo, new, candidates):
    """route:min_history=M(known=ease; few=F; ...) for every F and M in 2, 3, 5, computed from the
    reports: on a leave-last-out split a user of the `few` segment (the report's segments 1, 2,
    3-4 are exactly the histories below 2, 3, 5 items) gets F's ranking, every other user ease's;
    a new user after n events gets F's when n < M, else ease's. The routes the script runs check it."""
    few_segs = {2: ['1'], 3: ['1', '2'], 5: ['1', '2', '3-4']}
    users = {}
    for d in DATASETS:
        rep = load(f'val-llo-{d}')
        if rep:
            users[d] = {x['name']: x['users'] for x in rep['segments']}
    figures, grid = [], {}
    for d in DATASETS:
        if d in users and 'ease' in llo and d in llo['ease']:
            figures.append(('llo', d, None))
    for n in (1, 3, 5):
        for d in DATASETS:
            if 'ease' in new and d in new['ease']:
                figures.append(('new', d, n))
    for m, segs in few_segs.items():
        for f in candidates:
            if f not in llo or f not in new:
                continue
            vals = []
            for kind, d, n in figures:
                if kind == 'llo':
                    u = users[d]
                    tot = sum(u.values())
                    v = sum(u[x] * (llo[f][d] if x in segs else llo['ease'][d])['segments'][x]['ndcg@10']
                            for x in u) / tot
                else:
                    v = new[f if n < m else 'ease'][d][n]['metrics']['ndcg@10']['value']
                vals.append(v)
            grid[(m, f)] = vals
    best = [max(v[i] for v in grid.values()) for i in range(len(figures))]
    rows = sorted(((min(x / b for x, b in zip(v, best)), sum(x / b for x, b in zip(v, best)) / len(v), k, v)
                   for k, v in grid.items()), key=lambda r: (r[0], r[1]), reverse=True)
    print('\n#### Routes `route:min_history=M(known=ease; few=F; ...)`, computed from the segments: '
          'share of the best route per figure\n')
    head = ' | '.join(f"{'LLO' if k == 'llo' else 'new ' + str(n)} {SHORT[d]}" for k, d, n in figures)
    print(f'| M | few = F | worst case | mean | {head} |')
    print('|---|---|---|---|' + '---|' * len(figures))
    for worst, mean, (m, f), v in rows:
        print(f'| {m} | `{f}` | {worst:.3f} | {mean:.3f} | ' + ' | '.join(f'{x / b:.2f}' for x, b in zip(v, best)) + ' |')
    # The rule: (1) the known-user target on every validation split: the route's
    # leave-last-out NDCG@10 at least the lower end of ease's 95% interval; (2) among those, the
    # best worst case over the new-users figures (share of the best route per figure), then the
    # best mean over all figures.
    lo = [llo['ease'][d]['metrics']['ndcg@10']['ci95'][0] for k, d, n in figures if k == 'llo']
    nl = len(lo)
    ok = [r for r in rows if all(x >= l for x, l in zip(r[3][:nl], lo))]
    ranked = sorted(((min(x / b for x, b in zip(v[nl:], best[nl:])), mean, (m, f), v) for _, mean, (m, f), v in ok),
                    key=lambda r: (r[0], r[1]), reverse=True)
    print('\nRoutes within ease\'s 95% interval on every leave-last-out validation split, by their worst case '
          'over the new-users figures (then the mean over all):\n')
    print('| M | few = F | worst case, new users | mean, all figures |')
    print('|---|---|---|---|')
    for worst, mean, (m, f), v in ranked:
        print(f'| {m} | `{f}` | {worst:.3f} | {mean:.3f} |')
    if ranked:
        print(f'\n**Rule\'s choice: min_history={ranked[0][2][0]}, few=`{ranked[0][2][1]}`**')
    print('\nNDCG@10 of the leading routes and of popularity:\n')
    print(f'| route | {head} |')
    print('|---|' + '---|' * len(figures))
    lead = rows[:6] + [r for r in ranked[:3] if r[2] not in [x[2] for x in rows[:6]]]
    for worst, mean, (m, f), v in lead:
        print(f'| M={m}, few=`{f}` | ' + ' | '.join(f'{x:.4f}' for x in v) + ' |')
    pop = [llo['popularity'][d]['metrics']['ndcg@10']['value'] if k == 'llo' else
           new['popularity'][d][n]['metrics']['ndcg@10']['value'] for k, d, n in figures]
    print('| `popularity` | ' + ' | '.join(f'{x:.4f}' for x in pop) + ' |')


print('## Validation')
llo = llo_table('val-llo', 'Leave-last-out validation split')
new = new_users_table('val-new', 'New users (validation training file)')
nxt = next_item_table('val-next', 'Next-item, YooChoose train_tr / train_valid')

if new:
    short = [c for c in new if not c.startswith(('popularity', 'trending', 'route'))]
    for n in (1, 3, 5):
        print(f'\n#### Short anonymous histories: share of the best NDCG@10 after {n} event(s)\n')
        share_of_best(new, short, lambda per, n=n: per[n]['metrics']['ndcg@10']['value'])
if llo:
    short = [c for c in llo if not c.startswith(('popularity', 'trending', 'route'))]
    print('\n#### Known users with 1-2 training items (leave-last-out segments 1 and 2, user-weighted)\n')

    def few(m):
        s = m['segments']
        tot = [x for x in ('1', '2') if x in s]
        return sum(s[x]['ndcg@10'] for x in tot) / max(len(tot), 1)
    # user-weighted mean of segments 1 and 2 needs the counts: recompute from the reports
    table = {}
    for d in DATASETS:
        rep = load(f'val-llo-{d}')
        if not rep:
            continue
        users = {s['name']: s['users'] for s in rep['segments']}
        n12 = users.get('1', 0) + users.get('2', 0)
        if n12 < 30:
            continue
        for name, m in zip(names(rep), rep['models']):
            v = sum(m['segments'][x]['ndcg@10'] * users[x] for x in ('1', '2')) / n12
            table.setdefault(name, {})[d] = v
        print(f'{d}: {n12} users with 1-2 training items')
    print()
    share_of_best(table, [c for c in short if c in table], lambda v: v)
    nonpers = [c for c in llo if c.startswith(('popularity', 'trending'))]
    print('\n#### No history: the non-personalized lists, NDCG@10 on the leave-last-out validation splits\n')
    share_of_best(llo, nonpers, lambda m: m['metrics']['ndcg@10']['value'])
    if new:
        print('\n... and on the new users after 1 event (the list minus that one item)\n')
        share_of_best(new, nonpers, lambda per: per[1]['metrics']['ndcg@10']['value'])
    if new:
        route_grid(llo, new, short)
    for r in [c for c in llo if c.startswith('route')]:
        print(f'\n#### `{r}` against `ease` on the validation splits\n')
        against(llo, r, 'ease')

if os.path.exists(os.path.join(out, 'test-llo-online-retail-uci', 'report.json')):
    print('\n## Test (reporting only; nothing here was used to choose)')
    tl = llo_table('test-llo', 'Reference split')
    tu = llo_table('test-ua', 'ua.base / ua.test')
    tl.update({k: {**tl.get(k, {}), **v} for k, v in tu.items()})
    tn = new_users_table('test-new', 'New users (test split training file, seed 1)')
    next_item_table('test-next', 'Next-item, YooChoose train_full / test')
    for r in [c for c in tl if c.startswith('route') and 'known=ease' in c]:
        print(f'\n#### `{r}` against `ease` on the test splits\n')
        against(tl, r, 'ease')
