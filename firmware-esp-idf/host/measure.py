#!/usr/bin/env python3
"""Code size and worst-case stack of the portable core, from a host build.

    python3 firmware-esp-idf/host/measure.py BUILD_DIR

Sizes come from `size` on the core's object files. Stack comes from GCC's -fcallgraph-info=su
(.ci files): the deepest path from each entry point of the core, own frames only. Calls that leave
the core (libc, cJSON, the port and handler function pointers) count as 0 and are listed, so the
figure is the core's share; add the handler's and the port's own stack on top.
"""
import glob
import os
import re
import subprocess
import sys

ENTRIES = ["asyncrpc_core_on_message", "asyncrpc_core_tick", "asyncrpc_core_on_connected", "asyncrpc_core_init",
           "asyncrpc_core_send_event"]


def main(build):
    objects = sorted(glob.glob(os.path.join(build, "CMakeFiles", "asyncrpc_core.dir", "**", "*.c.o"), recursive=True))
    if not objects:
        sys.exit("no core objects under " + build)
    print("== code size of the portable core (size, bytes)")
    out = subprocess.run(["size"] + objects, capture_output=True, text=True, check=True).stdout
    total = [0, 0, 0]
    for line in out.splitlines()[1:]:
        parts = line.split()
        text, data, bss = int(parts[0]), int(parts[1]), int(parts[2])
        total = [total[0] + text, total[1] + data, total[2] + bss]
        print("  %-18s text %6d  data %5d  bss %6d" % (os.path.basename(parts[-1]), text, data, bss))
    print("  %-18s text %6d  data %5d  bss %6d" % ("total", *total))

    stack, edges, external = {}, {}, set()
    for ci in glob.glob(os.path.join(build, "CMakeFiles", "asyncrpc_core.dir", "**", "*.ci"), recursive=True):
        for line in open(ci):
            node = re.match(r'node: \{ title: "([^"]+)" label: "[^"]*\\n(\d+) bytes', line)
            if node:
                stack[node.group(1)] = int(node.group(2))
                continue
            edge = re.match(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', line)
            if edge:
                edges.setdefault(edge.group(1), []).append(edge.group(2))

    def name(title):
        return title.rsplit(":", 1)[-1]

    by_name = {name(t): t for t in stack}

    def deepest(title, seen):
        if title not in stack:
            title = by_name.get(name(title), title)
        if title not in stack:
            external.add(name(title))
            return 0, []
        if title in seen:
            return 0, ["(recursion)"]
        best, path = 0, []
        for target in edges.get(title, []):
            depth, sub = deepest(target, seen | {title})
            if depth > best:
                best, path = depth, sub
        return stack[title] + best, [name(title)] + path

    print("== worst-case stack of the protocol path (bytes, core frames only)")
    for entry in ENTRIES:
        depth, path = deepest(by_name.get(entry, entry), frozenset())
        print("  %-28s %5d  %s" % (entry, depth, " > ".join(path)))
    print("  calls leaving the core (not counted): " + ", ".join(sorted(external)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/firmware-host")
