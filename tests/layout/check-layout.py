#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check-layout.py - the module boundaries of docs/design.md, as a TAP test.

Reads every #include "dir/name.h" of the source tree and checks:
  1. core/ includes nothing from hw/, cpu/, qtest/, fuzz/, harness/ or programs/;
  2. cpu/ includes core/ only; hw/ never includes qtest/, fuzz/ or harness/;
  3. no main() in core/, hw/, cpu/ or qtest/ (the library has none);
  4. no cycle between modules, where a module is a header and its .c files
     (core/main-loop.[ch] is one module, hw/virtio.[ch] another);
  5. the qtest client (qtest/libqtest.h) is included by no library source;
  6. every source and build file names its licence (an SPDX line at the top)
     and COPYING holds the licence meson.build declares.
Includes are resolved as the compiler resolves them (beside the including
file, then from the top of the tree), so "virtio-mmio.h" and "../hw/x.h"
count like "hw/virtio-mmio.h".  What it cannot see: a call through a
prototype a file declares for itself instead of including the header.
Usage: check-layout.py SOURCE_ROOT
"""
import os
import re
import sys

LIB_DIRS = ["core", "hw", "cpu", "qtest"]
ALL_DIRS = LIB_DIRS + ["fuzz", "harness", "programs", "tests", "bench"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
MAIN = re.compile(r"^int\s+main\s*\(", re.M)


def sources(root):
    for d in ALL_DIRS:
        for dirpath, _, names in os.walk(os.path.join(root, d)):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    path = os.path.join(dirpath, n)
                    yield os.path.relpath(path, root), open(path, encoding="utf-8").read()


SPDX = "SPDX-License-Identifier: GPL-2.0-or-later"
SOURCE_DIRS = ALL_DIRS + ["ci", ".ci"]


def licensed_files(root):
    """Every file whose first lines must carry the SPDX tag."""
    for name in ("meson.build", "meson_options.txt"):
        yield name
    for d in SOURCE_DIRS:
        for dirpath, _, names in os.walk(os.path.join(root, d)):
            for n in sorted(names):
                if n.endswith((".c", ".h", ".py", ".sh")) or n in ("meson.build", "run"):
                    yield os.path.relpath(os.path.join(dirpath, n), root)


def resolve(root, path, inc):
    """The file an #include "inc" in path names, relative to root, as the
    compiler finds it: beside the including file first, then from the top of
    the tree (the one include directory).  None for a system or generated
    header."""
    for base in (os.path.dirname(path), ""):
        candidate = os.path.normpath(os.path.join(base, inc))
        if not candidate.startswith("..") and os.path.exists(os.path.join(root, candidate)):
            return candidate
    return None


def module_of(path):
    """core/main-loop.c and core/main-loop.h are the module core/main-loop."""
    return os.path.splitext(path)[0]


def find_cycle(graph):
    """One cycle of the module graph as a list of modules, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def main():
    root = sys.argv[1]
    files = dict(sources(root))
    results = []

    def check(name, problems):
        results.append((name, problems))

    bad = []
    for path, text in files.items():
        top = path.split("/")[0]
        for inc in INCLUDE.findall(text):
            target = (resolve(root, path, inc) or inc).split("/")[0]
            if top == "core" and target in ("hw", "cpu", "qtest", "fuzz", "harness", "programs"):
                bad.append(f"{path} includes {inc}")
            if top == "cpu" and target not in ("core", "cpu"):
                bad.append(f"{path} includes {inc}")
            if top == "hw" and target in ("qtest", "fuzz", "harness", "programs"):
                bad.append(f"{path} includes {inc}")
    check("core/ knows nothing of the other modules; cpu/ includes only core/", bad)

    bad = [p for p, t in files.items() if p.split("/")[0] in LIB_DIRS and MAIN.search(t)]
    check("the library directories hold no main()", bad)

    bad = [p for p, t in files.items()
           if p.split("/")[0] in LIB_DIRS and p != "qtest/libqtest.c"
           and "qtest/libqtest.h" in (resolve(root, p, i) for i in INCLUDE.findall(t))]
    check("no library source uses the qtest client", bad)

    bad = []
    for path in licensed_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            head = [f.readline() for _ in range(3)]
        if not any(SPDX in line for line in head):
            bad.append(f"{path}: no '{SPDX}' in its first lines")
    meson_text = open(os.path.join(root, "meson.build"), encoding="utf-8").read()
    if "license: 'GPL-2.0-or-later'" not in meson_text:
        bad.append("meson.build does not declare license: 'GPL-2.0-or-later'")
    copying = os.path.join(root, "COPYING")
    if not os.path.exists(copying) or "GNU GENERAL PUBLIC LICENSE\n                       Version 2" \
            not in open(copying, encoding="utf-8").read():
        bad.append("COPYING does not hold the GNU GPL version 2")
    check("every source and build file carries the SPDX licence line COPYING matches", bad)

    graph = {}
    for path, text in files.items():
        if path.split("/")[0] not in LIB_DIRS:
            continue
        mod = module_of(path)
        for inc in INCLUDE.findall(text):
            target = resolve(root, path, inc)
            if target and target.split("/")[0] in LIB_DIRS:
                dep = module_of(target)
                if dep != mod:
                    graph.setdefault(mod, set()).add(dep)
    cycle = find_cycle(graph)
    check("no two library modules depend on each other, directly or in a ring",
          [" -> ".join(cycle)] if cycle else [])

    print(f"1..{len(results)}")
    failed = 0
    for i, (name, problems) in enumerate(results, 1):
        if problems:
            failed += 1
            print(f"not ok {i} - {name}")
            for p in problems:
                print(f"# {p}")
        else:
            print(f"ok {i} - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
