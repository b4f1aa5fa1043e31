#!/usr/bin/env python3
"""Markdown tables for docs/RESULTS.md from the report.json files scripts/results.sh writes.

Usage: results_table.py OUT_DIR NAME [NAME...]  (NAME: a report folder under OUT_DIR)
"""
import json
import re
import sys


def short(spec):
    # Drop parameters that never change the ranking (max_items) to keep the table narrow.
    return spec.replace(',max_items=20000', '')


def table(path):
    rep = json.load(open(path))
    rep['split'] = re.sub(r'/\S*?/shared/', '../shared/', rep['split'])
    d = rep['dataset']
    lines = [f"{d['evaluated_users']:,} users evaluated on {d['test_pairs']:,} test pairs "
             f"({d['test_items_not_in_training']} on items never in training); {d['train_pairs']:,} training pairs, "
             f"{d['ranked_items']:,} items ranked; split: {rep['split']}; {rep['ranking']}.", '',
             '| model | HR@10 | Recall@10 | NDCG@10 [95% CI] | NDCG@20 | coverage@10 | vs popularity (p) | fit s |',
             '|---|---|---|---|---|---|---|---|']
    for m in rep['models']:
        mt = m['metrics']
        nd = mt['ndcg@10']
        vs = m.get('vs_baseline', {}).get('ndcg@10')
        vs_text = 'baseline' if vs is None else (f"{100 * vs['lift']:+.1f}% ({'<0.001' if vs['p_value'] < 0.0011 else format(vs['p_value'], '.3f')})"
                                                if vs['lift'] is not None else 'n/a')
        lines.append(f"| `{short(m['spec'])}` | {mt['hr@10']['value']:.4f} | {mt['recall@10']['value']:.4f} | "
                     f"**{nd['value']:.4f}** [{nd['ci95'][0]:.4f}, {nd['ci95'][1]:.4f}] | "
                     f"{mt['ndcg@20']['value']:.4f} | {mt['coverage@10']['value']:.3f} | {vs_text} | "
                     f"{m['fit_seconds']:.2f} |")
    return '\n'.join(lines)


out = sys.argv[1]
for name in sys.argv[2:]:
    print(f'### {name}\n')
    print(table(f'{out}/{name}/report.json'))
    print()
