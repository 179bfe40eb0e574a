#!/usr/bin/env python3
"""The mutation score of one source folder from one or more Stryker.NET JSON reports (e.g. the NonLinear chunks).

    python3 tests/CoPriv.Protocols.Tests/mutation/score.py [--folder src/Protocols/NonLinear] [--survivors FILE] [REPORT...]

Without reports it reads StrykerOutput/nl-*/reports/mutation-report.json under the clone's root. Each mutant counts
once (a file is mutated by one chunk); the score is Stryker's: (killed + timeout) / (killed + timeout + survived +
no coverage). --survivors writes the survived and uncovered mutants as TSV: file, line, mutator, replacement, status.
"""
import argparse, collections, glob, json, os

root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
parser = argparse.ArgumentParser()
parser.add_argument('--folder', default='src/Protocols/NonLinear')
parser.add_argument('--survivors')
parser.add_argument('reports', nargs='*')
args = parser.parse_args()
reports = args.reports or sorted(glob.glob(os.path.join(root, 'StrykerOutput', 'nl-*', 'reports', 'mutation-report.json')))
folder = '/' + args.folder.strip('/') + '/'
per, seen, survivors = {}, set(), []
for report in reports:
    for path, f in json.load(open(report))['files'].items():
        if folder not in path.replace('\\', '/'):
            continue
        name = path.replace('\\', '/').split(folder, 1)[1]
        for m in f['mutants']:
            key = (name, m['id'])
            if key in seen:
                continue
            seen.add(key)
            per.setdefault(name, collections.Counter())[m['status']] += 1
            if m['status'] in ('Survived', 'NoCoverage'):
                survivors.append((name, m['location']['start']['line'], m['mutatorName'],
                                  (m.get('replacement') or '').replace('\n', ' ')[:80], m['status']))

def score(c):
    detected = c['Killed'] + c['Timeout']
    valid = detected + c['Survived'] + c['NoCoverage']
    return detected, valid, 100.0 * detected / valid if valid else float('nan')

total = collections.Counter()
print(f"{'file':30} {'killed':>6} {'timeout':>7} {'survived':>8} {'no cov':>6} {'compile':>7} {'ignored':>7} {'score':>7}")
for name, c in sorted(per.items()):
    total += c
    print(f"{name:30} {c['Killed']:6} {c['Timeout']:7} {c['Survived']:8} {c['NoCoverage']:6} {c['CompileError']:7} {c['Ignored']:7} {score(c)[2]:6.2f}%")
detected, valid, s = score(total)
print(f"{'total':30} {total['Killed']:6} {total['Timeout']:7} {total['Survived']:8} {total['NoCoverage']:6} "
      f"{total['CompileError']:7} {total['Ignored']:7} {s:6.2f}%   ({detected} of {valid} from {len(reports)} report(s))")
if args.survivors:
    with open(args.survivors, 'w') as out:
        for row in sorted(survivors):
            out.write('\t'.join(map(str, row)) + '\n')
