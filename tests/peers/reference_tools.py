#!/usr/bin/env python3
"""Test-side helpers on the reference implementations (cryptography's Fernet, python-dotenv). Secrets travel on stdin
only and leave as fingerprints, never as values.

  encrypt           stdin {"key": K, "plaintexts": [...]}  -> stdout ["token", ...] (Fernet(K).encrypt)
  census ROOT [--rotation-scope | --keys-from FILE]
                    stdout {"values": {NAME: fingerprint}, "v1", "v2", "fields", "under_v1_alone", "under_ring",
                    "by_file": {FILE: under_ring}, "undecryptable": ["file $.path", ...]}: .env read by dotenv_values,
                    each field tried with Fernet(V1) alone and with MultiFernet([V1, V2]). Fields are found the way
                    the reference app finds them, or with --rotation-scope in every folder the rotation's default
                    scope takes (all of config/ but its own key_rotation/ and incidents/, so logs/ and backups/ too).
                    --keys-from FILE (rotation scope) adds every ROBODJ_* value of that dotenv file to the ring:
                    whether a recovery file holds the keys the fields need.
"""

import json
import os
import re
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


ROTATION_OWN_FOLDERS = {"key_rotation", "incidents"}
BASE64URL = re.compile(r"[A-Za-z0-9_-]+=*")


def rotation_scope_fields(root):
    """(relative file, json path, token) in every config folder the rotation takes; tokens as DESIGN.md section 5
    defines them (strict base64url), JSON read with or without a BOM."""
    config = os.path.join(root, "config")
    for folder, subfolders, files in os.walk(config):
        if os.path.relpath(folder, config).split(os.sep)[0] in ROTATION_OWN_FOLDERS:
            continue
        for name in files:
            if name.endswith(".json"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8-sig") as f:
                    doc = json.load(f)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                for _, _, json_path, _, token in app.encrypted_fields(doc):
                    if BASE64URL.fullmatch(token):
                        yield rel, json_path, token


def app_fields(root):
    for rel, _, doc in app.load_config(root):
        for _, _, json_path, _, token in app.encrypted_fields(doc):
            yield rel, json_path, token


def census(root, rotation_scope, keys_from=None):
    values = dotenv.dotenv_values(os.path.join(root, ".env"))
    v1, v2 = values.get("ROBODJ_SECRET_KEY") or "", values.get("ROBODJ_SECRET_V2_KEY") or ""
    alone = Fernet(v1) if v1 else None
    # --keys-from: every ROBODJ_* value of another dotenv file joins the ring (a recovery file's keys).
    extra = [v for k, v in dotenv.dotenv_values(keys_from).items() if k.startswith("ROBODJ_") and v] if keys_from else []
    ring = MultiFernet([Fernet(k) for k in [v1, v2, *extra] if k])
    fields, under_v1, under_ring, by_file, undecryptable = 0, 0, 0, {}, []
    for rel, json_path, token in (rotation_scope_fields(root) if rotation_scope else app_fields(root)):
        fields += 1
        under_v1 += bool(alone) and opens(alone, token)
        if opens(ring, token):
            under_ring += 1
            by_file[rel] = by_file.get(rel, 0) + 1
        else:
            undecryptable.append(f"{rel} {json_path}")
    json.dump({
        "values": {name: app.fingerprint(value or "") for name, value in values.items()},
        "v1": app.fingerprint(v1), "v2": app.fingerprint(v2) if v2 else None,
        "fields": fields, "under_v1_alone": under_v1, "under_ring": under_ring, "by_file": by_file,
        "undecryptable": undecryptable,
    }, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1:2] == ["encrypt"]:
        encrypt()
    elif sys.argv[1:2] == ["census"] and len(sys.argv) == 3:
        census(sys.argv[2], rotation_scope=False)
    elif sys.argv[1:2] == ["census"] and sys.argv[3:] == ["--rotation-scope"]:
        census(sys.argv[2], rotation_scope=True)
    elif sys.argv[1:2] == ["census"] and sys.argv[3:4] == ["--keys-from"] and len(sys.argv) == 5:
        census(sys.argv[2], rotation_scope=True, keys_from=sys.argv[4])
    else:
        sys.exit(__doc__)
