#!/usr/bin/python3
# Samba's side of bench/regpol-samba.mjs (issue 12): Samba's pidl-generated C decoder for Registry.pol, called
# in-process from Python as `ndr_unpack(preg.file, data)`. Run with Debian's /usr/bin/python3, the one that has
# python3-samba; the pyenv python3 on PATH has no samba module.
#
#   /usr/bin/python3 bench/regpol-samba.py [--rounds 30] [--warmup 10] < list-of-paths     one line of JSON
#   /usr/bin/python3 bench/regpol-samba.py --serve                                          what the .mjs runs
#
# Both modes read each file's bytes once, then time rounds; a round unpacks every file and keeps the round's
# results alive until its clock stops (as the Node side does). The previous round's results are freed, by
# refcounting, before the clock starts; no collection is forced. Alone, it runs `--warmup` untimed rounds then
# `--rounds` timed ones and prints the times (ms), best, median (nearest rank, as bench/lib/stats.mjs), the records
# decoded over all files and the versions. With --serve it reads a JSON list of paths on its first stdin line,
# answers {"ready": …}, then runs N rounds per "rounds N" line, answering {"ms": [...]}, and on "end" answers with
# the records; bench/regpol-samba.mjs alternates these blocks of rounds with its own so the machine's load falls on
# both alike.
# If the samba module is missing it prints {"skipped": "..."} and exits 0.
#
# What one ndr_unpack includes: the NDR pull of the whole file into a talloc'd C struct (header check; per entry
# the '[' ';' ']' delimiters, key and value names converted from UTF-16LE to UTF-8 strings, type, size, and the
# data pulled through winreg_Data by type: REG_SZ/REG_EXPAND_SZ converted to strings, REG_DWORD read as an
# integer, REG_BINARY and REG_MULTI_SZ kept as byte blobs, REG_NONE data not kept), a check that no bytes remain,
# and the Python wrapper object around the struct. Fields become Python objects only when read, which the timed
# loop does not do (the record count is read once, after the rounds).
import json
import math
import sys
import time


def median(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(0.5 * len(ordered)) - 1))]


def say(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


class Corpus:
    def __init__(self, paths, samba, preg, ndr_unpack):
        self.unpack, self.cls = ndr_unpack, preg.file
        self.paths = paths
        self.failures = []
        self.blobs = []
        for path in paths:
            with open(path, 'rb') as f:
                data = f.read()
            # Files Samba refuses would make the two sides do different work: report them and leave them out.
            try:
                ndr_unpack(preg.file, data)
                self.blobs.append(data)
            except Exception as err:  # noqa: BLE001 - any refusal is reported, not fatal
                self.failures.append({'file': path, 'error': str(err)})
        self.results = []
        self.about = {
            'decoder': 'ndr_unpack(preg.file, data)',
            'samba': samba.version,
            'python': sys.version.split()[0],
            'executable': sys.executable,
            'files': len(paths),
            'unpacked': len(self.blobs),
            'bytes': sum(len(b) for b in self.blobs),
            'failures': self.failures,
        }

    def round(self):
        unpack, cls, blobs = self.unpack, self.cls, self.blobs
        self.results = None
        t0 = time.perf_counter()
        self.results = [unpack(cls, data) for data in blobs]
        return (time.perf_counter() - t0) * 1000

    def records(self):
        return sum(p.num_entries for p in self.results)


def main(argv):
    rounds, warmup, serve = 30, 10, False
    i = 0
    while i < len(argv):
        if argv[i] == '--rounds':
            rounds = int(argv[i + 1])
            i += 2
        elif argv[i] == '--warmup':
            warmup = int(argv[i + 1])
            i += 2
        elif argv[i] == '--serve':
            serve = True
            i += 1
        else:
            raise SystemExit('unknown option %s' % argv[i])
    try:
        import samba
        from samba.dcerpc import preg
        from samba.ndr import ndr_unpack
    except ImportError as err:
        say({'skipped': 'no samba module in %s (%s): apt-get install python3-samba' % (sys.executable, err)})
        return

    if serve:
        corpus = Corpus(json.loads(sys.stdin.readline()), samba, preg, ndr_unpack)
        say(dict(corpus.about, ready=True))
        for line in sys.stdin:
            command = line.strip()
            if command.startswith('rounds '):
                say({'ms': [corpus.round() for _ in range(int(command.split()[1]))]})
            elif command == 'end':
                say({'records': corpus.records()})
                return
            else:
                raise SystemExit('unknown command %r' % command)
        return

    corpus = Corpus([line for line in sys.stdin.read().split('\n') if line], samba, preg, ndr_unpack)
    ms = []
    for r in range(warmup + rounds):
        elapsed = corpus.round()
        if r >= warmup:
            ms.append(elapsed)
    say(dict(corpus.about, records=corpus.records(), rounds=rounds, warmup=warmup, ms=ms, bestMs=min(ms), medianMs=median(ms)))


if __name__ == '__main__':
    main(sys.argv[1:])
