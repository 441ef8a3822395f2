#!/usr/bin/env python3
"""scripts/bench --scaling: hostile-input shapes at 1x, 4x and 16x.

For each shape, generates the input in a temporary directory, times the scanner (and
`lex` where the shape is about a lexer) with /usr/bin/time (CPU = user + sys, peak RSS)
and a peer that only reads the same bytes (`rg -c . FILE`, or `cat` for trees and binary
files), median of --runs. Checks that the scanner's CPU time grows at most 1.3x linearly
(t(kx) <= 1.3 * k * t(1x)) and stays within 2x of the read peer; exits 1 otherwise.
CPU time rather than wall time: the benchmark machine is shared.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

GROWTH_LIMIT = 1.3
PEER_LIMIT = 2.0


def url(i):
    return ('fetch("https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=%024x%08d'
            '&scope=crmapi");' % (0xabcdef * i, i))


def gen_minified(d, k):
    # The shape: 1,000 Zoho URLs with authtoken= on one ~125 KB line per 1x.
    p = os.path.join(d, 'app.min.js')
    with open(p, 'w') as f:
        f.write('var z=1;' + ''.join(url(i) for i in range(1000 * k)) + '\n')
    return p


def gen_minified_plain(d, k):
    # The same line with other hosts, no scope=crmapi and one Zoho mention: the same
    # findings without per-URL product evidence.
    p = os.path.join(d, 'app.min.js')
    with open(p, 'w') as f:
        f.write('// zoho\nvar z=1;' + ''.join(
            url(i).replace('crm.zoho.com', 'api.example.com').replace('scope=crmapi', 'x=y')
            for i in range(1000 * k)) + '\n')
    return p


def gen_env(d, k):
    # 1 MiB of lines without '=' per 1x, then one real key (so the file is lexed).
    p = os.path.join(d, 'big.env')
    line = 'FEATURE_FLAG_WITHOUT_VALUE_%06d\n'
    with open(p, 'w') as f:
        f.write('# zoho settings\n')
        n = (1 << 20) * k // len(line % 0)
        f.writelines(line % i for i in range(n))
        f.write('ZOHO_AUTHTOKEN=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a\n')
    return p


def gen_yaml_flow(d, k):
    # One flow sequence on one line: 512 KiB per 1x.
    p = os.path.join(d, 'flow.yaml')
    items, size, i = [], 0, 0
    while size < (512 << 10) * k:
        s = 'item%d' % i
        items.append(s)
        size += len(s) + 2
        i += 1
    with open(p, 'w') as f:
        f.write('zoho: [' + ', '.join(items) + ', {authtoken: abc}]\n')
    return p


def gen_dag(d, k):
    # 8 levels per 1x, each directory linking twice to the next (2^levels paths).
    root = os.path.join(d, 'dag')
    levels = 8 * k
    for i in range(levels + 1):
        os.makedirs(os.path.join(root, 'd%d' % i))
        with open(os.path.join(root, 'd%d' % i, 'f.py'), 'w') as f:
            f.write('# zoho\nrequests.get(u + "?authtoken=" + t)\n' + 'x = 1\n' * 2000)
    for i in range(levels):
        for name in ('a', 'b'):
            os.symlink(os.path.join(root, 'd%d' % (i + 1)), os.path.join(root, 'd%d' % i, name))
    return os.path.join(root, 'd0')


def gen_binary(d, k):
    # --max-file-size 0 on a 256 MiB (per 1x) binary file: only the head is read.
    p = os.path.join(d, 'blob.js')
    with open(p, 'wb') as f:
        f.write(b'\0' * (1 << 20))
        f.truncate((256 << 20) * k)
    return p


def gen_deep_concat(d, k):
    # A 50,000-term (per 1x) string concatenation: a left-deep syntax tree, which the
    # syntax front end leaves to the lexer.
    p = os.path.join(d, 'concat.js')
    with open(p, 'w') as f:
        f.write('// zoho\nvar u = "https://crm.zoho.com/x?authtoken=" + t' + ' + "a"' * (50000 * k) + ';\n')
    return p


def gen_deep_literals(d, k):
    # 5,000 (per 1x) nested dict literals around an authtoken key.
    p = os.path.join(d, 'nested.py')
    n = 5000 * k
    with open(p, 'w') as f:
        f.write('# zoho\nx = ' + '{"a": ' * n + '{"authtoken": t}' + '}' * n + '\n')
    return p


SHAPES = [
    # name, generator, scan args, also time `lex`, peer kind
    ('minified line, Zoho URLs', gen_minified, [], False, 'rg'),
    ('minified line, other hosts', gen_minified_plain, [], False, 'rg'),
    ('.env without =', gen_env, [], True, 'rg'),
    ('YAML one-line flow', gen_yaml_flow, [], True, 'rg'),
    ('--follow symlink DAG', gen_dag, ['--follow'], False, 'cat-tree'),
    ('binary, --max-file-size 0', gen_binary, [], False, 'cat'),
    ('deep concatenation (syntax tree)', gen_deep_concat, [], False, 'rg'),
    ('nested literals (syntax tree)', gen_deep_literals, [], False, 'rg'),
]


def timed(cmd, out):
    """(cpu seconds, wall seconds, peak RSS KiB) of one run."""
    with tempfile.NamedTemporaryFile('r', suffix='.time') as tf:
        with open(out, 'w') as o:
            r = subprocess.run(['/usr/bin/time', '-o', tf.name, '-f', '%e %U %S %M'] + cmd,
                               stdout=o, stderr=subprocess.PIPE)
        fields = tf.read().split()
        if r.returncode not in (0, 1) or len(fields) < 4:
            sys.exit('bench: %s failed (%d): %s' % (' '.join(cmd), r.returncode,
                                                     r.stderr.decode()[-500:]))
        e, u, s, m = fields[-4:]
        return float(u) + float(s), float(e), int(m)


def median_run(cmd, out, runs):
    rs = [timed(cmd, out) for _ in range(runs)]
    return (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs),
            max(r[2] for r in rs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--keep', action='store_true', help='keep the generated inputs')
    a = ap.parse_args()
    rg = shutil.which('rg')
    tmp = tempfile.mkdtemp(prefix='atm-scaling-')
    rows, ok = [], True
    # Start-up cost of each command on an empty file, subtracted for the peer comparison
    # (the scanner loads libLLVM: ~30 ms of CPU before it reads a byte).
    empty = os.path.join(tmp, 'empty.js')
    open(empty, 'w').close()
    start = {
        'scan': median_run([a.bin, 'scan', '--format', 'json', '--fail-on', 'none', empty],
                           empty + '.out', a.runs)[0],
        'lex': median_run([a.bin, 'lex', empty], empty + '.out', a.runs)[0],
        rg or 'rg': median_run([rg, '-c', '.', empty], empty + '.out', a.runs)[0] if rg else 0,
        'cat': median_run(['cat', empty], empty + '.out', a.runs)[0],
        'sh': median_run(['sh', '-c', 'cat "$1"', 'sh', empty], empty + '.out', a.runs)[0],
    }
    try:
        for name, gen, args, lex, peer in SHAPES:
            base = {}
            for k in (1, 4, 16):
                d = os.path.join(tmp, '%s-%d' % (gen.__name__, k))
                os.makedirs(d)
                target = gen(d, k)
                out = os.path.join(d, 'out.json')
                cmds = [('scan', [a.bin, 'scan', '--format', 'json', '--fail-on', 'none',
                                  '--jobs', '1', '--no-ignore', '--max-file-size', '0'] +
                          args + [target])]
                if lex:
                    cmds.append(('lex', [a.bin, 'lex', target]))
                if peer == 'rg' and rg:
                    pcmd = [rg, '-c', '.', target]
                elif peer == 'cat-tree':
                    pcmd = ['sh', '-c', 'cat "$1"/../d*/f.py', 'sh', target]
                else:
                    pcmd = ['cat', target]
                pcpu, pwall, prss = median_run(pcmd, out + '.peer', a.runs)
                pcpu = max(0.0, pcpu - start[pcmd[0]])
                size = sum(os.path.getsize(os.path.join(r, f))
                           for r, _, fs in os.walk(os.path.dirname(target)) for f in fs
                           if f.endswith('.py')) if os.path.isdir(target) \
                    else os.path.getsize(target)
                for what, cmd in cmds:
                    cpu, wall, rss = median_run(cmd, out, a.runs)
                    net = max(0.0, cpu - start[what])
                    key = what
                    if k == 1:
                        base[key] = cpu
                    growth = cpu / base[key] if base[key] > 0 else 0.0
                    grow_ok = k == 1 or cpu <= GROWTH_LIMIT * k * max(base[key], 0.01)
                    ratio = net / max(pcpu, 0.01)
                    peer_ok = net <= PEER_LIMIT * max(pcpu, 0.01)
                    ok &= grow_ok and peer_ok
                    rows.append((name, '%dx' % k, what, size, cpu, wall, rss, growth, grow_ok,
                                 pcpu, ratio, peer_ok, os.path.basename(pcmd[0])))
                if not a.keep:
                    shutil.rmtree(d, ignore_errors=True)
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print('| shape | size | tool | bytes | CPU s | wall s | peak RSS MiB | growth vs 1x '
          '| peer CPU s | / peer (net of start-up) |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for (name, k, what, size, cpu, wall, rss, growth, gok, pcpu, ratio, pok, pname) in rows:
        print('| %s | %s | %s | %s | %.2f | %.2f | %.0f | %.2fx%s | %.3f (%s) | %.1fx%s |' % (
            name, k, what, '{:,}'.format(size), cpu, wall, rss / 1024, growth,
            '' if gok else ' FAIL', pcpu, pname, ratio, '' if pok else ' FAIL'))
    print('\nlimits: CPU(kx) <= %.1f * k * CPU(1x); CPU - start-up <= %.0fx the read peer\'s '
          '(peer times below 10 ms count as 10 ms). start-up CPU: scan %.3f s, lex %.3f s'
          % (GROWTH_LIMIT, PEER_LIMIT, start['scan'], start['lex']))
    print('result: %s' % ('PASS' if ok else 'FAIL'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
