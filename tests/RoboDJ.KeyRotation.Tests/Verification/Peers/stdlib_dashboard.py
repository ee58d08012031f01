"""A dashboard written the way a small Python app writes one: the standard library's http.server, reading each
request body by Content-Length only (it never decodes a chunked body). Prints its port, then serves until killed."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PASSWORD = sys.argv[1]
TOKEN = "peer-session-7f3a91"


class Handler(BaseHTTPRequestHandler):
    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else {}

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorised(self):
        return self.headers.get("Authorization") == "Bearer " + TOKEN

    def do_POST(self):
        body = self.body()
        if self.path == "/api/auth/login":
            ok = body.get("username") == "admin" and body.get("password") == PASSWORD
            self.answer(200 if ok else 401, {"token": TOKEN} if ok else {"error": "bad credentials"})
        elif self.path == "/api/config/save" and self.authorised():
            self.answer(200, {"saved": 3, "decryption_errors": []})
        else:
            self.answer(401, {"error": "unauthorised"})

    def do_GET(self):
        if self.path == "/api/auth/session":
            self.answer(200 if self.authorised() else 401, {"valid": self.authorised()})
        else:
            self.answer(404, {})

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
