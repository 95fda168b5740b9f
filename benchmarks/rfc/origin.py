#!/usr/bin/env python3
"""The origin of rfc-compare.sh: answers by path, logs every request it gets (method, path, If-None-Match,
If-Modified-Since) to the file named by its second argument, one line each."""
import re
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = open(sys.argv[2], "a", buffering=1)
LOCK = threading.Lock()
COUNTS = {}
LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, headers, body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        full = self.path.split("?")[0]
        # compare.sh gives each proxy its own first segment (/o1/fresh, /n1/fresh): behaviour by the rest.
        path = re.sub(r"^/[a-z][0-9]+(?=/)", "", full)
        with LOCK:
            key = self.command + " " + full
            COUNTS[key] = COUNTS.get(key, 0) + 1
            n = COUNTS[key]
        LOG.write("%s %s %s %s\n" % (self.command, full, self.headers.get("If-None-Match"),
                                      self.headers.get("If-Modified-Since")))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = ("%s %d\n" % (full, n)).encode()
        if self.command not in ("GET", "HEAD"):
            return self.answer(200, [("Content-Type", "text/plain")], body)
        cc = {
            "/fresh": "max-age=60",
            "/short": "max-age=1",
            "/etag": "max-age=1",
            "/validator-only": None,
            "/no-cache": "no-cache",
            "/no-store": "no-store, max-age=60",
            "/private": "private, max-age=60",
            "/private-field": 'private="X-User", max-age=60',
            "/s-maxage": "max-age=0, s-maxage=60",
            "/must-revalidate": "max-age=1, must-revalidate",
            "/vary": "max-age=60",
            "/vary-star": "max-age=60",
            "/cookie": "public, max-age=60",
            "/auth": "max-age=60",
            "/auth-public": "public, max-age=60",
            "/expires": None,
            "/aged": "max-age=60",
            "/item": "max-age=60",
            "/302": "max-age=60",
            "/302-plain": None,
            "/swr": "max-age=1, stale-while-revalidate=30",
            "/swr-etag": "max-age=1, stale-while-revalidate=30",
            "/swr-must-revalidate": "max-age=1, stale-while-revalidate=30, must-revalidate",
            "/sie": "max-age=1, stale-if-error=60",
        }.get(path, "max-age=60")
        headers = [("Content-Type", "text/plain"), ("Date", formatdate(usegmt=True))]
        if cc:
            headers.append(("Cache-Control", cc))
        if path in ("/etag", "/validator-only", "/no-cache", "/must-revalidate", "/swr-etag"):
            headers.append(("ETag", '"v1"'))
            headers.append(("Last-Modified", LAST_MODIFIED))
            if self.headers.get("If-None-Match") == '"v1"':
                return self.answer(304, headers)
        if path == "/private-field":
            headers.append(("X-User", "ann"))
        if path == "/vary":
            headers.append(("Vary", "Accept-Language"))
            body = ("lang %s %d\n" % (self.headers.get("Accept-Language"), n)).encode()
        if path == "/vary-star":
            headers.append(("Vary", "*"))
        if path == "/cookie":
            headers.append(("Set-Cookie", "session=%d" % n))
        if path == "/expires":
            headers.append(("Expires", formatdate(timeval=None, usegmt=True)))
        if path == "/aged":
            headers.append(("Age", "59"))
        if path in ("/swr", "/swr-must-revalidate") and n > 1:
            # A later fetch answers 203: the last status then tells a stale answer (200) from a fresh one.
            return self.answer(203, headers, body)
        if path == "/sie" and n > 1:
            return self.answer(500, [("Content-Type", "text/plain")], b"origin error\n")
        if path.startswith("/302"):
            headers.append(("Location", "/fresh"))
            return self.answer(302, headers, body)
        return self.answer(200, headers, body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
