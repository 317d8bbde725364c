#!/usr/bin/python3
"""Decode Registry.pol files with Samba's NDR decoder and print what they hold as JSON.

Samba (python3-samba) is an independent implementation of the PReg format; the registry-pol tests compare
gpaudit's parser against it entry by entry. Usage: /usr/bin/python3 scripts/pol-oracle.py FILE...

Output: [{"file": path, "entries": [{"keyname", "valuename", "type", "size", "data"}, ...]}, ...], or
{"file": path, "error": message} for a file Samba cannot decode. data is an int for REG_DWORD and
REG_DWORD_BIG_ENDIAN, a decimal string for REG_QWORD (JSON numbers lose precision above 2**53 in JavaScript),
a str for REG_SZ/REG_EXPAND_SZ/REG_LINK, a list of str for REG_MULTI_SZ, and lower-case hex for everything else.
Exit status 3 when Samba's modules cannot be imported (only /usr/bin/python3 has them, not a pyenv python).
"""
import json
import sys

try:
    from samba.dcerpc import preg
    from samba.ndr import ndr_unpack
except ImportError as err:
    print(f"pol-oracle: cannot import samba ({err}); install it with: "
          "apt-get install -y --no-install-recommends python3-samba", file=sys.stderr)
    sys.exit(3)

REG_SZ, REG_EXPAND_SZ, REG_LINK, REG_DWORD, REG_DWORD_BIG_ENDIAN, REG_MULTI_SZ, REG_QWORD = 1, 2, 6, 4, 5, 7, 11


def utf16_text(data):
    if isinstance(data, str):
        return data
    return bytes(data).decode("utf-16-le", errors="replace")


def entry_data(entry):
    data = entry.data
    if entry.type in (REG_DWORD, REG_DWORD_BIG_ENDIAN) and isinstance(data, int):
        return data
    if entry.type == REG_QWORD and isinstance(data, int):
        return str(data)
    if entry.type in (REG_SZ, REG_EXPAND_SZ, REG_LINK) and data is not None:
        return utf16_text(data).rstrip("\0")
    if entry.type == REG_MULTI_SZ and data is not None:
        strings = utf16_text(data).split("\0")
        while strings and strings[-1] == "":
            strings.pop()
        return strings
    if data is None:
        return ""
    if isinstance(data, int):
        # Samba decoded a number where we expected bytes (a wrongly sized DWORD, say): report it as it is.
        return data
    if isinstance(data, str):
        return data.encode("utf-16-le").hex()
    return bytes(data).hex()


def decode(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
        # Keep the unpacked file alive while reading its entries: they point into its memory, and reading them
        # after it is freed returns garbage (seen as random UnicodeDecodeErrors on .data).
        parsed = ndr_unpack(preg.file, raw)
        entries = [{
            "keyname": e.keyname,
            "valuename": e.valuename,
            "type": e.type,
            "size": e.size,
            "data": entry_data(e),
        } for e in parsed.entries]
    except Exception as err:  # noqa: BLE001 - any decoder failure is a result to report, not a crash
        return {"file": path, "error": f"{type(err).__name__}: {err}"}
    return {"file": path, "entries": entries}


def main(paths):
    json.dump([decode(p) for p in paths], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
