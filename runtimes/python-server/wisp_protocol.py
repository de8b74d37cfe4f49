"""The OpenWhisk action protocol, as Wisp's runtimes written in Python speak it (runtimes/python, runtimes/blackbox).

POST /init and POST /run on port 8080 (PORT overrides), HTTP/1.1 with keep-alive, locked to the invoker by
WISP_RUNTIME_TOKEN; GET /health. A runtime hands `serve` two functions, how to make an action of /init's value
and how to run it once; this module does the rest for both: the token, the body's limits and errors, one
successful /init (tried again after a failure), 403 before it, the log limit, and the answer, either the
envelope (X-Wisp-Envelope: 1) or the plain one with the captured lines and the end-of-activation sentinels on the
container's own stdout and stderr. Every connection has its own thread (ThreadingHTTPServer): activations of one
container run at the same time. Standard library only.

Importing this module takes the token out of the environment, so import it before anything reads os.environ.
"""

import base64
import binascii
import hashlib
import hmac
import io
import json
import os
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get('PORT', '8080'))
SENTINEL = b'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n'
DEFAULT_LOG_LIMIT = 10 * 1024 * 1024
MAX_BODY = 128 * 1024 * 1024


def _take_token():
    """The SHA-256 of the invoker's token (None: no token, the plain protocol); the token itself is read once
    and then gone from the environment (os.environ, and so from the action's child processes)."""
    token = os.environ.pop('WISP_RUNTIME_TOKEN', '')
    return hashlib.sha256(token.encode('utf-8', 'surrogateescape')).digest() if token else None


# When set, POST /init and /run need "Authorization: Bearer <token>".
_TOKEN_DIGEST = _take_token()
# the invoker's WISP_WARMUP (which only the Node.js runtime reads) is no action's business either
os.environ.pop('WISP_WARMUP', None)
UNAUTHORIZED = {'error': 'This action container accepts requests from its invoker only.'}

# the container's own stdout/stderr (seen by `docker logs`), whatever a runtime makes of sys.stdout/sys.stderr
REAL = {'stdout': sys.__stdout__.buffer, 'stderr': sys.__stderr__.buffer}
_real_lock = threading.Lock()


def real_write(stream, data):
    """Writes bytes to the container's own stdout or stderr."""
    with _real_lock:
        REAL[stream].write(data)
        REAL[stream].flush()


def iso_now():
    t = time.time()
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%03dZ' % (int(t * 1000) % 1000)


def describe(e):
    return '%s: %s' % (type(e).__name__, e) if str(e) else type(e).__name__


class LogLines:
    """The log lines of one activation, up to `limit` bytes of text (each line plus its newline): the first line
    past the limit and all after it are dropped, and one notice ends the logs."""

    def __init__(self, limit):
        self.limit = limit
        self.bytes = 0
        self.lines = []  # (time, stream, text)
        self.truncated = False

    def append(self, stream, text, size):
        """Adds a line of `size` bytes (its newline included); returns its index in `lines`, or None when it was
        dropped."""
        if self.truncated:
            return None
        if self.bytes + size > self.limit:
            self.truncated = True
            self.lines.append((iso_now(), 'stderr', 'Logs were truncated because the total bytes size '
                               'exceeds the limit of %d bytes.' % self.limit))
            return None
        self.bytes += size
        self.lines.append((iso_now(), stream, text))
        return len(self.lines) - 1


# ------------------------------------------------------------------------------------------ /init

class InitError(Exception):
    """The action's code cannot be used; the message goes to the caller after "Initialization has failed due to: "."""


def export_init_env(value):
    """/init's `env` entries become process environment variables (non-strings as JSON)."""
    env = value.get('env')
    if isinstance(env, dict):
        for k, v in env.items():
            os.environ[str(k)] = v if isinstance(v, str) else json.dumps(v)


# /tmp is a 64 MB tmpfs: what a zip may unpack to, and into how many files
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 10000


def check_zip(archive):
    """Refuses a zip whose entries or unpacked size pass the limits (zipfile reads no more than it declares)."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise InitError('The action zip has %d entries, more than the limit of %d.' % (len(entries), MAX_ZIP_ENTRIES))
    size = sum(i.file_size for i in entries)
    if size > MAX_UNZIPPED_BYTES:
        raise InitError('The action zip unpacks to %d bytes, more than the limit of %d bytes.'
                        % (size, MAX_UNZIPPED_BYTES))


def unzip(code, dest, keep_modes=False):
    """Unpacks the base64 zip `code` into `dest`; `keep_modes`: with the zip's file modes (an executable stays one)."""
    try:
        data = base64.b64decode(code, validate=False)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)
            for info in archive.infolist():
                target = archive.extract(info, dest)
                mode = (info.external_attr >> 16) & 0o777
                if keep_modes and mode and not info.is_dir():
                    os.chmod(target, mode)
    except (binascii.Error, zipfile.BadZipFile, ValueError) as e:
        raise InitError('Unable to unzip the action code: %s' % e)
    except OSError as e:
        raise InitError('Unable to unzip the action code into /tmp: %s' % e)


def new_action_directory():
    """A new directory under /tmp for the action's code."""
    return tempfile.mkdtemp(prefix='wisp-action-')


# ------------------------------------------------------------------------------------------ /run

def _env_value(v):
    if v is None:
        return ''
    return v if isinstance(v, str) else json.dumps(v)


def run_variables(body):
    """Every top-level field of a /run body but `value`, as __OW_<FIELD> (non-strings as JSON)."""
    return {'__OW_%s' % k.upper(): _env_value(v) for k, v in body.items() if k != 'value'}


def run_params(body):
    params = body.get('value')
    return {} if params is None else params


# ------------------------------------------------------------------------------------------ HTTP

class _State:
    lock = threading.Lock()
    phase = 'new'  # new -> initializing -> ready (or back to new after a failed init)
    action = None
    init = None      # value -> action; raises InitError
    activate = None  # (action, body, log limit) -> (status, result, LogLines)


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive: the invoker pools its connections
    disable_nagle_algorithm = True
    server_version = 'wisp'
    sys_version = ''

    def log_message(self, format, *args):
        pass

    def send_json(self, status, obj, headers=()):
        data = json.dumps(obj, ensure_ascii=False).encode('utf-8')
        head = ['HTTP/1.1 %d %s' % (status, self.responses.get(status, ('',))[0]),
                'Content-Type: application/json', 'Content-Length: %d' % len(data)]
        head += ['%s: %s' % h for h in headers]
        if self.close_connection:
            head.append('Connection: close')
        self.wfile.write(('\r\n'.join(head) + '\r\n\r\n').encode('latin-1') + data)
        self.wfile.flush()

    def read_json(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            raw = self.read_chunked()
        else:
            try:
                length = int(self.headers.get('Content-Length') or 0)
            except ValueError:
                raise HttpError(400, 'Invalid Content-Length.')
            if length > MAX_BODY:
                self.close_connection = True
                raise HttpError(413, 'Request body too large.')
            raw = self.rfile.read(length)
        try:
            parsed = json.loads(raw.decode('utf-8'))
        except (UnicodeDecodeError, ValueError) as e:
            raise HttpError(400, 'Invalid JSON request body: %s' % e)
        if not isinstance(parsed, dict):
            raise HttpError(400, 'Invalid JSON request body: expected a JSON object')
        return parsed

    def read_chunked(self):
        chunks, size = [], 0
        while True:
            line = self.rfile.readline(1024)
            n = int(line.split(b';')[0].strip() or b'0', 16)
            if n == 0:
                while self.rfile.readline(1024) not in (b'\r\n', b'\n', b''):
                    pass
                return b''.join(chunks)
            size += n
            if size > MAX_BODY:
                self.close_connection = True
                raise HttpError(413, 'Request body too large.')
            chunks.append(self.rfile.read(n))
            self.rfile.readline(1024)

    def do_GET(self):
        if self.path.split('?')[0] == '/health':
            self.send_json(200, {'OK': True, 'state': _State.phase})
        else:
            self.send_json(404, {'error': 'No route for GET %s' % self.path})

    def authorized(self):
        """True when no token was given, or the request carries "Authorization: Bearer <token>". The
        SHA-256 digests are compared in constant time, whatever the lengths."""
        if _TOKEN_DIGEST is None:
            return True
        scheme, _, given = (self.headers.get('Authorization') or '').strip().partition(' ')
        given = given.strip()
        bearer = scheme.lower() == 'bearer' and given and ' ' not in given
        same = hmac.compare_digest(hashlib.sha256(given.encode('utf-8', 'replace')).digest(), _TOKEN_DIGEST)
        return bool(bearer) and same

    def refuse(self):
        """401, the body never parsed: after the answer it is read and dropped, so that the connection stays
        usable; a chunked one, or one over MAX_BODY, closes the connection instead."""
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = -1
        drop = 0 <= length <= MAX_BODY and not self.headers.get('Transfer-Encoding')
        if not drop:
            self.close_connection = True
        self.send_json(401, UNAUTHORIZED, [('WWW-Authenticate', 'Bearer')])
        while drop and length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)

    def do_POST(self):
        route = self.path.split('?')[0]
        if route in ('/init', '/run') and not self.authorized():
            return self.refuse()
        try:
            if route == '/init':
                self.handle_init(self.read_json())
            elif route == '/run':
                self.handle_run(self.read_json())
            else:
                self.send_json(404, {'error': 'No route for POST %s' % route})
        except HttpError as e:
            self.send_json(e.status, {'error': str(e)})

    def handle_init(self, body):
        with _State.lock:
            if _State.phase != 'new':
                return self.send_json(403, {'error': 'Cannot initialize the action more than once.'})
            _State.phase = 'initializing'
        value = body.get('value')
        try:
            _State.action = _State.init(value if isinstance(value, dict) else {})
        except BaseException as e:  # SystemExit too (an action's module may call sys.exit): the server lives on
            _State.phase = 'new'
            if not isinstance(e, InitError):
                real_write('stderr', ''.join(traceback.format_exception(type(e), e, e.__traceback__)).encode())
            message = str(e) if isinstance(e, InitError) else describe(e)
            return self.send_json(502, {'error': 'Initialization has failed due to: %s' % message})
        _State.phase = 'ready'
        self.send_json(200, {'OK': True})

    def handle_run(self, body):
        if _State.phase != 'ready':
            return self.send_json(403, {'error': 'The action has not been initialized.'})
        try:
            limit = int(self.headers.get('X-Wisp-Log-Limit'))
            if limit < 0:
                raise ValueError()
        except (TypeError, ValueError):
            limit = DEFAULT_LOG_LIMIT
        status, result, capture = _State.activate(_State.action, body, limit)
        if self.headers.get('X-Wisp-Envelope') == '1':
            return self.send_json(status, {'result': result, 'logs': ['%s %s: %s' % line for line in capture.lines]},
                                  [('X-Wisp-Envelope', '1')])
        for _, stream, text in capture.lines:
            real_write(stream, (text + '\n').encode('utf-8', 'replace'))
        real_write('stdout', SENTINEL)
        real_write('stderr', SENTINEL)
        self.send_json(status, result)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away
        real_write('stderr', ('wisp runtime: request failed: %s' % traceback.format_exc()).encode())


def serve(name, init, activate):
    """Answers the protocol on PORT until the process ends, as the runtime `name` (in the Server header and the
    start-up line). `init(value)` makes the action of a /init's value, raising InitError with the reason when
    the code cannot be used; it runs once at a time. `activate(action, body, log_limit)` runs the action once
    for a /run body, on the request's thread (several at once), and returns (status, result, LogLines)."""
    _State.init, _State.activate = init, activate
    Handler.server_version = 'wisp-%s' % name
    server = Server(('0.0.0.0', PORT), Handler)
    real_write('stdout', ('wisp %s runtime listening on %d\n' % (name, server.server_address[1])).encode())
    server.serve_forever()
