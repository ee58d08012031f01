#!/usr/bin/env python3
"""RoboDJ reference app: the deployment contract (DESIGN.md section 5) written independently of the C# sandbox.

Only Debian's python3, python3-dotenv and python3-cryptography are used. It reads <root>/.env the way RoboDJ does
(load_dotenv, override=False), checks every encrypted field under config/ on start, logs the key check to
config/logs/startup_safety_events.jsonl, writes its pid file and serves the dashboard on 127.0.0.1.
Exit codes: 0 after SIGTERM, 2 key check FAIL, 3 bad usage or settings, 4 dashboard port in use.
Keys are only ever shown by fingerprint.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import signal
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import dotenv
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PASS_MESSAGE = "Key presence/integrity check: PASS"
SKIPPED_FOLDERS = {"logs", "agents", "key_rotation", "snapshots", "backups", "incidents"}
TOKEN_PREFIX = "gAAAAA"
ENC_PREFIX = "enc:"
MIN_TOKEN_BYTES = 73  # version, timestamp, IV, one AES block, HMAC
SESSION_SECONDS = 12 * 3600


class KeyCheckFailed(Exception):
    pass


class Terminated(Exception):
    pass


def fingerprint(key_text):
    return hashlib.sha256(key_text.encode("utf-8")).hexdigest()[:12]


def is_fernet_token(text):
    if not text.startswith(TOKEN_PREFIX):
        return False
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) >= MIN_TOKEN_BYTES and raw[0] == 0x80


def split_field(value):
    """(prefix, token) when the JSON string is an encrypted field, else None."""
    prefix = ENC_PREFIX if value.startswith(ENC_PREFIX) else ""
    token = value[len(prefix):]
    return (prefix, token) if is_fernet_token(token) else None


def config_files(config_dir):
    for folder, subfolders, files in os.walk(config_dir):
        if os.path.samefile(folder, config_dir):
            subfolders[:] = [s for s in subfolders if s not in SKIPPED_FOLDERS]
        subfolders.sort()
        for name in sorted(files):
            if name.endswith(".json") and not name.startswith("."):
                yield os.path.join(folder, name)


def encrypted_fields(node, path="$"):
    """Yields (container, key, json_path, prefix, token) for every encrypted string value."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        child = f"{path}.{key}" if isinstance(node, dict) else f"{path}[{key}]"
        if isinstance(value, str):
            field = split_field(value)
            if field:
                yield node, key, child, field[0], field[1]
        else:
            yield from encrypted_fields(value, child)


def load_config(root):
    """[(relative path, absolute path, parsed JSON)]; a file that is not JSON is a KeyCheckFailed naming it."""
    loaded = []
    config_dir = os.path.join(root, "config")
    if not os.path.isdir(config_dir):
        return loaded
    for path in config_files(config_dir):
        rel = os.path.relpath(path, root)
        try:
            with open(path, encoding="utf-8") as f:
                loaded.append((rel, path, json.load(f)))
        except (ValueError, UnicodeDecodeError) as e:
            raise KeyCheckFailed(f"{rel} is not valid JSON ({type(e).__name__}); fix it or restore it from the snapshot")
    return loaded


def write_atomically(path, data):
    """Temp file in the same folder, fsync, rename; the file keeps its mode."""
    folder = os.path.dirname(path)
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o600
    fd, temp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class App:
    def __init__(self, root, pid_file, log_path):
        self.root = root
        self.pid_file = pid_file
        self.log_path = log_path

    def log_event(self, event, message, **extra):
        line = {"ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": event, "message": message, "pid": os.getpid()}
        line.update(extra)
        data = (json.dumps(line) + "\n").encode("utf-8")
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        # One write with O_APPEND, so a reader never sees half a line.
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def write_pid(self):
        folder = os.path.dirname(self.pid_file)
        os.makedirs(folder, exist_ok=True)
        write_atomically(self.pid_file, f"{os.getpid()}\n".encode())
        os.chmod(self.pid_file, 0o644)

    def remove_pid(self):
        try:
            with open(self.pid_file) as f:
                if f.read().strip() == str(os.getpid()):
                    os.unlink(self.pid_file)
        except OSError:
            pass

    def load_keys(self):
        v1_text = os.environ.get("ROBODJ_SECRET_KEY", "")
        v2_text = os.environ.get("ROBODJ_SECRET_V2_KEY", "")
        if not v1_text:
            raise KeyCheckFailed("ROBODJ_SECRET_KEY (V1) is missing")
        keys = []
        for slot, text in (("V1", v1_text), ("V2", v2_text)):
            if not text:
                continue
            try:
                keys.append(Fernet(text))
            except (ValueError, binascii.Error):
                raise KeyCheckFailed(f"{slot} is not a valid Fernet key (32 bytes, urlsafe base64)")
        self.v1_text, self.v2_text = v1_text, v2_text
        self.ring = MultiFernet(keys)

    def check_fields(self):
        fields, closed = 0, []
        for rel, _, doc in load_config(self.root):
            for _, _, json_path, _, token in encrypted_fields(doc):
                fields += 1
                try:
                    self.ring.decrypt(token.encode())
                except InvalidToken:
                    closed.append(f"{rel} {json_path}")
        if closed:
            shown = ", ".join(closed[:3]) + (f", and {len(closed) - 3} more" if len(closed) > 3 else "")
            raise KeyCheckFailed(f"{len(closed)} encrypted field(s) open with neither V1 nor V2: {shown}")
        return fields

    def save_config(self):
        """MultiFernet.rotate on every field (keeps each token's timestamp); each file written atomically."""
        saved, errors = 0, []
        for rel, path, doc in load_config(self.root):
            changed = False
            for container, key, json_path, prefix, token in list(encrypted_fields(doc)):
                try:
                    container[key] = prefix + self.ring.rotate(token.encode()).decode()
                except InvalidToken:
                    errors.append({"file": rel, "path": json_path})
                    continue
                saved += 1
                changed = True
            if changed:
                write_atomically(path, (json.dumps(doc, indent=2) + "\n").encode("utf-8"))
        return saved, errors

    def issue_session(self, user):
        payload = json.dumps({"user": user, "exp": int(time.time()) + SESSION_SECONDS}).encode()
        return self.ring.encrypt(payload).decode()

    def check_session(self, token):
        """The user when any key of the ring opens the session and it has not expired, else None."""
        try:
            payload = json.loads(self.ring.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            return None
        if not isinstance(payload, dict) or payload.get("exp", 0) <= time.time():
            return None
        return payload.get("user")


def make_handler(app, password, silent_late_close):
    """silent_late_close: None answers with "Connection: close"; N seconds leaves the header out and closes N s after
    each answer, which HTTP/1.0 allows and which a client that reuses such a connection does not survive."""
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass  # the access log could carry tokens in a URL

        def finish(self):
            if silent_late_close:
                time.sleep(silent_late_close)
            super().finish()

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if silent_late_close is None:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length > 0 else b""
            try:
                return json.loads(raw) if raw else {}
            except ValueError:
                return None

        def session_user(self):
            header = self.headers.get("Authorization") or ""
            return app.check_session(header[7:].strip()) if header.lower().startswith("bearer ") else None

        def do_POST(self):
            path = urlsplit(self.path).path
            if path == "/api/auth/login":
                body = self.body()
                user = body.get("username") if isinstance(body, dict) else None
                given = body.get("password") if isinstance(body, dict) else None
                if not password or not isinstance(user, str) or not user.strip() or not isinstance(given, str) \
                        or not hmac.compare_digest(given.encode(), password.encode()):
                    return self.answer(401, {"error": "invalid username or password"})
                return self.answer(200, {"token": app.issue_session(user)})
            if path == "/api/config/save":
                self.body()
                if self.session_user() is None:
                    return self.answer(401, {"error": "no valid session"})
                try:
                    saved, errors = app.save_config()
                except KeyCheckFailed as e:
                    return self.answer(500, {"error": str(e)})
                return self.answer(200, {"saved": saved, "decryption_errors": errors})
            self.answer(404, {"error": "not found"})

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path == "/api/auth/session":
                user = self.session_user()
                return self.answer(200, {"user": user}) if user is not None else self.answer(401, {"error": "no valid session"})
            if url.path == "/api/broadcasts/upcoming":
                minutes = parse_qs(url.query).get("minutes", [""])[0]
                if not minutes.isdigit():
                    return self.answer(400, {"error": "minutes must be a whole number, e.g. ?minutes=10"})
                return self.answer(200, [])
            self.answer(404, {"error": "not found"})

    return Handler


def main(argv):
    parser = argparse.ArgumentParser(description="RoboDJ reference app for the key rotation tests")
    parser.add_argument("--root", required=True, help="the deployment root (holds .env and config/)")
    parser.add_argument("--pid-file", default="robodj.pid", help="relative to the root")
    parser.add_argument("--startup-log", default=os.path.join("config", "logs", "startup_safety_events.jsonl"),
                        help="relative to the root; a host of a fleet that shares config/ has its own")
    parser.add_argument("--silent-late-close", type=float, metavar="SECONDS",
                        help="test quirk: answer without a Connection header and close SECONDS after each answer")
    parser.add_argument("--dashboard-after", type=float, metavar="SECONDS",
                        help="test quirk: log PASS first and listen on the dashboard's port only SECONDS later, as an app whose web server starts last")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    app = App(root, os.path.join(root, args.pid_file), os.path.join(root, args.startup_log))

    dotenv.load_dotenv(os.path.join(root, ".env"), override=False)
    port = urlsplit(os.environ.get("ROBODJ_DASHBOARD_URL", "")).port if os.environ.get("ROBODJ_DASHBOARD_URL") else None
    if not port:
        print("robodj_reference_app: ROBODJ_DASHBOARD_URL with a port is missing in .env", file=sys.stderr)
        return 3

    app.write_pid()
    try:
        app.load_keys()
        fields = app.check_fields()
    except KeyCheckFailed as e:
        message = f"Key presence/integrity check: FAIL ({e})"
        app.log_event("key_check", message)
        print(f"robodj_reference_app: {message}", file=sys.stderr)
        app.remove_pid()
        return 2

    def log_pass():
        app.log_event("key_check", PASS_MESSAGE, v1=fingerprint(app.v1_text),
                      v2=fingerprint(app.v2_text) if app.v2_text else None, fields=fields)
        print(f"robodj_reference_app: {PASS_MESSAGE}; V1 {fingerprint(app.v1_text)}, {fields} fields, pid {os.getpid()}, port {port}", flush=True)

    if args.dashboard_after:
        log_pass()
        time.sleep(args.dashboard_after)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(app, os.environ.get("ROBODJ_DASHBOARD_PASSWORD"), args.silent_late_close))
    except OSError as e:
        print(f"robodj_reference_app: cannot listen on 127.0.0.1:{port} ({e.strerror}); stop what holds the port", file=sys.stderr)
        app.remove_pid()
        return 4
    server.daemon_threads = True

    def on_sigterm(signum, frame):
        raise Terminated()

    signal.signal(signal.SIGTERM, on_sigterm)
    # PASS only once the dashboard listens, so whoever sees PASS can log in at once (unless the quirk says otherwise).
    if not args.dashboard_after:
        log_pass()
    try:
        server.serve_forever(poll_interval=0.2)
    except (Terminated, KeyboardInterrupt):
        pass
    finally:
        server.server_close()
        app.log_event("shutdown", "Graceful shutdown")
        app.remove_pid()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
