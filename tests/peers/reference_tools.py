#!/usr/bin/env python3
"""Test-side helpers on the reference implementations (cryptography's Fernet, python-dotenv). Secrets travel on stdin
only and leave as fingerprints, never as values.

  encrypt           stdin {"key": K, "plaintexts": [...]}  -> stdout ["token", ...] (Fernet(K).encrypt)
  census ROOT       stdout {"values": {NAME: fingerprint}, "v1", "v2", "fields", "under_v1_alone", "under_ring",
                    "undecryptable": ["file $.path", ...]}: .env read by dotenv_values, fields found the way the
                    reference app finds them, each tried with Fernet(V1) alone and with MultiFernet([V1, V2]).
  file-census ROOT REL  stdout {"fields", "under_v1_alone"} of one JSON file, also in a folder the app skips.
"""

import json
import os
import sys

import dotenv
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robodj_reference_app as app  # noqa: E402


def encrypt():
    request = json.load(sys.stdin)
    fernet = Fernet(request["key"])
    json.dump([fernet.encrypt(p.encode("utf-8")).decode() for p in request["plaintexts"]], sys.stdout)


def opens(fernet, token):
    try:
        fernet.decrypt(token.encode())
        return True
    except InvalidToken:
        return False


def census(root):
    values = dotenv.dotenv_values(os.path.join(root, ".env"))
    v1, v2 = values.get("ROBODJ_SECRET_KEY") or "", values.get("ROBODJ_SECRET_V2_KEY") or ""
    alone = Fernet(v1)
    ring = MultiFernet([Fernet(k) for k in (v1, v2) if k])
    fields, under_v1, under_ring, undecryptable = 0, 0, 0, []
    for rel, _, doc in app.load_config(root):
        for _, _, json_path, _, token in app.encrypted_fields(doc):
            fields += 1
            under_v1 += opens(alone, token)
            if opens(ring, token):
                under_ring += 1
            else:
                undecryptable.append(f"{rel} {json_path}")
    json.dump({
        "values": {name: app.fingerprint(value or "") for name, value in values.items()},
        "v1": app.fingerprint(v1), "v2": app.fingerprint(v2) if v2 else None,
        "fields": fields, "under_v1_alone": under_v1, "under_ring": under_ring, "undecryptable": undecryptable,
    }, sys.stdout)


def file_census(root, rel):
    """One file, also in a folder the app skips (logs/): its fields and how many V1 alone opens."""
    values = dotenv.dotenv_values(os.path.join(root, ".env"))
    alone = Fernet(values.get("ROBODJ_SECRET_KEY") or "")
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        tokens = [token for *_, token in app.encrypted_fields(json.load(f))]
    json.dump({"fields": len(tokens), "under_v1_alone": sum(opens(alone, t) for t in tokens)}, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1:2] == ["encrypt"]:
        encrypt()
    elif sys.argv[1:2] == ["census"] and len(sys.argv) == 3:
        census(sys.argv[2])
    elif sys.argv[1:2] == ["file-census"] and len(sys.argv) == 4:
        file_census(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
