#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs examples/*.py through the Python binding (bindings/python, Feedwatch-0.typelib) against
loopback servers started here, and checks the counts they print. TAP output.

The servers are plain http.server threads: what they send is known, so each count is exact."""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.parse

EXAMPLES = sys.argv[1]
N_EVENTS = 3000
N_RECORDS = 1234
PAGE = 100


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == '/events':
            self.send_response(200)
            self.send_header('Content-Type', 'text/event-stream')
            self.send_header('Cache-Control', 'no-cache')
            self.end_headers()
            body = ''.join(f'id: {i}\ndata: event {i}\n\n' for i in range(N_EVENTS))
            self.wfile.write(body.encode())
            self.wfile.flush()
            # Held open, as a live stream is: the consumer stops at N_EVENTS by itself.
            self.server.hold.wait(30)
            return
        if url.path == '/records':
            query = urllib.parse.parse_qs(url.query)
            start = int(query.get('cursor', ['0'])[0])
            end = min(start + PAGE, N_RECORDS)
            page = {'results': [{'id': i, 'message': f'record {i}'} for i in range(start, end)]}
            if end < N_RECORDS:
                page['next_cursor'] = str(end)
            body = json.dumps(page).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_error(404)


def run(name, *args):
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args],
                         capture_output=True, text=True, timeout=120)
    return out.returncode, out.stdout, out.stderr


def main():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    server.hold = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f'http://127.0.0.1:{server.server_address[1]}'

    with tempfile.TemporaryDirectory() as folder:
        log = os.path.join(folder, 'app.log')
        with open(log, 'w', encoding='utf-8') as f:
            for i in range(5000):
                level = 'ERROR' if i % 7 == 0 else 'INFO'
                f.write(f'2026-12-06 10:00:{i % 60:02d},000 {level} worker {i}: done\n')
        expected_errors = len(range(0, 5000, 7))

        checks = [
            ('sse-consumer.py', [base + '/events', str(N_EVENTS)], f'{N_EVENTS}\n'),
            ('error-counter.py', [log], f'{expected_errors}\n'),
            ('paginated-api.py', [base + '/records'], f'{N_RECORDS}\n'),
            ('merge-sensors.py', ['40', 'sim:sensor?interval=5', 'sim:sensor?interval=5&seed=2'],
             None),
        ]
        print(f'1..{len(checks)}')
        failed = 0
        for number, (name, args, expected) in enumerate(checks, 1):
            status, out, err = run(name, *args)
            if expected is None:
                # Both inputs reach the merge, 40 readings in all.
                counts = [int(line.rsplit(' ', 1)[1]) for line in out.splitlines()]
                ok = status == 0 and len(counts) == 2 and sum(counts) == 40 and min(counts) > 0
            else:
                ok = status == 0 and out == expected
            if not ok:
                failed += 1
                print(f'# {name}: status {status}, printed {out!r}, expected {expected!r}')
                for line in err.splitlines()[-20:]:
                    print('# ' + line)
            print(f'{"ok" if ok else "not ok"} {number} {name}')
    server.hold.set()
    server.shutdown()
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
