"""Wisp Python action runtime.

The OpenWhisk action protocol (POST /init, POST /run) on port 8080, plus per-activation log capture returned
in a JSON envelope when the invoker asks for it (request header X-Wisp-Envelope: 1). Standard library only.

Concurrency: every connection has its own thread (ThreadingHTTPServer), so activations of one container may
run at the same time. What an activation writes to sys.stdout/sys.stderr, and the __OW_* variables it reads
from os.environ, belong to that activation: both are looked up through a context variable that the
activation's thread (and threads it starts) carry.
"""

import asyncio
import base64
import binascii
import hashlib
import hmac
import contextvars
import inspect
import io
import json
import os
import site
import sys
import tempfile
import threading
import time
import traceback
import zipfile
import codecs
import importlib.util
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get('PORT', '8080'))
SENTINEL = b'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n'
DEFAULT_LOG_LIMIT = 10 * 1024 * 1024
MAX_BODY = 128 * 1024 * 1024


def _take_token():
    """The SHA-256 of the invoker's token (None: no token, the plain protocol); the token itself is read once
    and then gone from the environment (os.environ, and so from child processes)."""
    token = os.environ.pop('WISP_RUNTIME_TOKEN', '')
    return hashlib.sha256(token.encode('utf-8', 'surrogateescape')).digest() if token else None


# When set, POST /init and /run need "Authorization: Bearer <token>".
_TOKEN_DIGEST = _take_token()
UNAUTHORIZED = {'error': 'This action container accepts requests from its invoker only.'}
MODULE_NAME = 'main__'  # as OpenWhisk's Python runtime: `if __name__ == "__main__":` blocks do not run

REAL = {'stdout': sys.__stdout__.buffer, 'stderr': sys.__stderr__.buffer}
_real_lock = threading.Lock()


def real_write(stream, data):
    """Writes bytes to the container's own stdout/stderr (seen by `docker logs`)."""
    with _real_lock:
        REAL[stream].write(data)
        REAL[stream].flush()


def iso_now():
    t = time.time()
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%03dZ' % (int(t * 1000) % 1000)


# ------------------------------------------------------------------------------------------ log capture

class LogCapture:
    """The lines one activation writes, up to `limit` bytes of text (each line plus its newline)."""

    def __init__(self, limit):
        self.limit = limit
        self.bytes = 0
        self.lines = []  # (time, stream, text)
        self.truncated = False
        self.closed = False
        self.partial = {'stdout': '', 'stderr': ''}
        self.decoders = {s: codecs.getincrementaldecoder('utf-8')('replace') for s in ('stdout', 'stderr')}
        self.lock = threading.Lock()

    def write(self, stream, text):
        with self.lock:
            if self.truncated:
                return
            parts = (self.partial[stream] + text).split('\n')
            self.partial[stream] = parts.pop()
            for line in parts:
                self._add(stream, line)
            # a huge write without a newline must not grow the buffer past the limit
            if len(self.partial[stream]) > self.limit - self.bytes:
                rest, self.partial[stream] = self.partial[stream], ''
                self._add(stream, rest)

    def write_bytes(self, stream, data):
        with self.lock:
            text = self.decoders[stream].decode(bytes(data))
        self.write(stream, text)

    def _add(self, stream, text):
        if self.truncated:
            return
        size = len(text.encode('utf-8', 'replace')) + 1
        if self.bytes + size > self.limit:
            self.truncated = True
            self.partial = {'stdout': '', 'stderr': ''}
            self.lines.append((iso_now(), 'stderr', 'Logs were truncated because the total bytes size '
                               'exceeds the limit of %d bytes.' % self.limit))
            return
        self.bytes += size
        self.lines.append((iso_now(), stream, text))

    def close(self):
        with self.lock:
            for stream in ('stdout', 'stderr'):
                rest = self.partial[stream] + self.decoders[stream].decode(b'', final=True)
                self.partial[stream] = ''
                if rest:
                    self._add(stream, rest)
            self.closed = True

    def formatted(self):
        return ['%s %s: %s' % line for line in self.lines]


class Activation:
    def __init__(self, capture, env):
        self.capture = capture
        self.env = env


_current = contextvars.ContextVar('wisp_activation', default=None)
_running = set()
_running_lock = threading.Lock()


def current_capture():
    """The capture of the calling activation; for writes from a thread no activation started, the only
    running activation's (if exactly one runs), else None (the write goes to the real stream)."""
    act = _current.get()
    if act is not None and not act.capture.closed:
        return act.capture
    with _running_lock:
        if len(_running) == 1:
            only = next(iter(_running))
            if not only.capture.closed:
                return only.capture
    return None


class _RoutedBinary(io.RawIOBase):
    def __init__(self, name):
        self.name = name

    def writable(self):
        return True

    def write(self, data):
        capture = current_capture()
        if capture is None:
            real_write(self.name, bytes(data))
        else:
            capture.write_bytes(self.name, data)
        return len(data)

    def fileno(self):
        return REAL[self.name].fileno()


class RoutedStream(io.TextIOBase):
    """sys.stdout / sys.stderr: text goes to the calling activation's capture, or to the real stream."""

    def __init__(self, name):
        self.name = name
        self._buffer = _RoutedBinary(name)

    @property
    def buffer(self):
        return self._buffer

    @property
    def encoding(self):
        return 'utf-8'

    @property
    def errors(self):
        return 'replace'

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return REAL[self.name].fileno()

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError('write() argument must be str, not %s' % type(text).__name__)
        capture = current_capture()
        if capture is None:
            real_write(self.name, text.encode('utf-8', 'replace'))
        else:
            capture.write(self.name, text)
        return len(text)

    def flush(self):
        pass


sys.stdout = RoutedStream('stdout')
sys.stderr = RoutedStream('stderr')

# Threads an activation starts belong to it (a new thread would otherwise start with an empty context).
_thread_start = threading.Thread.start


def _start_in_activation(self):
    act = _current.get()
    if act is not None:
        target_run = self.run

        def run():
            _current.set(act)
            target_run()
        self.run = run
    _thread_start(self)


threading.Thread.start = _start_in_activation


_run_variables = set()  # the __OW_* names some /run has set
_run_variables_lock = threading.Lock()


class ActivationEnviron(type(os.environ)):
    """os.environ whose __OW_* entries are the calling activation's (concurrent activations differ): one that
    another /run set but this activation was not given (an __OW_API_KEY, say) is not there."""

    def _overlay(self):
        act = _current.get()
        return act.env if act is not None else None

    def __getitem__(self, key):
        overlay = self._overlay()
        if overlay is not None:
            if key in overlay:
                return overlay[key]
            if key in _run_variables:
                raise KeyError(key)
        return super().__getitem__(key)

    def __iter__(self):
        overlay = self._overlay()
        keys = list(super().__iter__())
        if overlay is not None:
            keys = [k for k in keys if k in overlay or k not in _run_variables]
            known = set(keys)
            keys += [k for k in overlay if k not in known]
        return iter(keys)

    def __len__(self):
        return sum(1 for _ in self)


os.environ.__class__ = ActivationEnviron


# ------------------------------------------------------------------------------------------ action loading

class InitError(Exception):
    pass


def load_module(path, main):
    spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module  # so dataclasses, pickle and friends find the action's types
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(MODULE_NAME, None)
        raise
    fn = getattr(module, main, None)
    if not callable(fn):
        raise InitError("Action function '%s' not found: define a top-level function named '%s'." % (main, main))
    return fn


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


def unzip(code, dest):
    try:
        data = base64.b64decode(code, validate=False)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive)
            archive.extractall(dest)
    except (binascii.Error, zipfile.BadZipFile, ValueError) as e:
        raise InitError('Unable to unzip the action code: %s' % e)
    except OSError as e:
        raise InitError('Unable to unzip the action code into /tmp: %s' % e)


def add_virtualenv(root):
    """OpenWhisk's convention: a `virtualenv` directory in the zip brings third-party packages."""
    venv = os.path.join(root, 'virtualenv')
    lib = os.path.join(venv, 'lib')
    if not os.path.isdir(lib):
        return
    for name in sorted(os.listdir(lib)):
        packages = os.path.join(lib, name, 'site-packages')
        if name.startswith('python') and os.path.isdir(packages):
            site.addsitedir(packages)


def init(value):
    main = value.get('main') or 'main'
    code = value.get('code')
    if not isinstance(main, str):
        raise InitError('"main" must be a string.')
    if not isinstance(code, str) or not code:
        raise InitError('Missing action code ("value.code").')
    env = value.get('env')
    if isinstance(env, dict):
        for k, v in env.items():
            os.environ[str(k)] = v if isinstance(v, str) else json.dumps(v)
    work = tempfile.mkdtemp(prefix='wisp-action-')
    if value.get('binary') in (True, 'true'):
        unzip(code, work)
        entry = os.path.join(work, '__main__.py')
        if not os.path.isfile(entry):
            raise InitError('The action zip has no __main__.py at its root.')
        add_virtualenv(work)
    else:
        entry = os.path.join(work, 'action.py')
        with open(entry, 'w', encoding='utf-8') as f:
            f.write(code)
    sys.path.insert(0, work)
    os.chdir(work)
    return load_module(entry, main)


# ------------------------------------------------------------------------------------------ activation

def env_value(v):
    if v is None:
        return ''
    return v if isinstance(v, str) else json.dumps(v)


def describe(e):
    return '%s: %s' % (type(e).__name__, e) if str(e) else type(e).__name__


def activate(action, body, log_limit):
    """Runs the action once; returns (status, result, capture)."""
    capture = LogCapture(log_limit)
    env = {'__OW_%s' % k.upper(): env_value(v) for k, v in body.items() if k != 'value'}
    with _run_variables_lock:  # process-wide too, for subprocesses (the latest activation's set wins there)
        for k in _run_variables - env.keys():
            os.environ.pop(k, None)
        for k, v in env.items():
            os.environ[k] = v
        _run_variables.update(env)
    act = Activation(capture, env)
    params = body.get('value')
    if params is None:
        params = {}
    ctx = contextvars.copy_context()
    with _running_lock:
        _running.add(act)
    try:
        status, result = ctx.run(_invoke, act, action, params)
    finally:
        capture.close()
        with _running_lock:
            _running.discard(act)
    return status, result, capture


def _invoke(act, action, params):
    _current.set(act)
    try:
        result = action(params)
        if inspect.isawaitable(result):
            result = asyncio.run(_await(result))
        if not isinstance(result, dict):
            return 502, {'error': 'The action did not return a dictionary.'}
        try:
            json.dumps(result)
        except (TypeError, ValueError) as e:
            return 502, {'error': 'The action did not return a JSON-serializable dictionary: %s' % e}
        return 200, result
    except BaseException as e:  # SystemExit and KeyboardInterrupt too: the server must live on
        sys.stderr.write(''.join(traceback.format_exception(type(e), e, e.__traceback__.tb_next)))
        return 502, {'error': 'An error has occurred: %s' % describe(e)}


async def _await(awaitable):
    return await awaitable


# ------------------------------------------------------------------------------------------ HTTP

class State:
    lock = threading.Lock()
    phase = 'new'  # new -> initializing -> ready (or back to new after a failed init)
    action = None


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive: the invoker pools its connections
    disable_nagle_algorithm = True
    server_version = 'wisp-python'
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
            self.send_json(200, {'OK': True, 'state': State.phase})
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
        with State.lock:
            if State.phase != 'new':
                return self.send_json(403, {'error': 'Cannot initialize the action more than once.'})
            State.phase = 'initializing'
        value = body.get('value')
        try:
            State.action = init(value if isinstance(value, dict) else {})
        except BaseException as e:
            State.phase = 'new'
            if not isinstance(e, InitError):
                real_write('stderr', ''.join(traceback.format_exception(type(e), e, e.__traceback__)).encode())
            message = str(e) if isinstance(e, InitError) else describe(e)
            return self.send_json(502, {'error': 'Initialization has failed due to: %s' % message})
        State.phase = 'ready'
        self.send_json(200, {'OK': True})

    def handle_run(self, body):
        if State.phase != 'ready':
            return self.send_json(403, {'error': 'The action has not been initialized.'})
        try:
            limit = int(self.headers.get('X-Wisp-Log-Limit'))
            if limit < 0:
                raise ValueError()
        except (TypeError, ValueError):
            limit = DEFAULT_LOG_LIMIT
        status, result, capture = activate(State.action, body, limit)
        if self.headers.get('X-Wisp-Envelope') == '1':
            return self.send_json(status, {'result': result, 'logs': capture.formatted()},
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


def main():
    server = Server(('0.0.0.0', PORT), Handler)
    real_write('stdout', ('wisp python runtime listening on %d\n' % server.server_address[1]).encode())
    server.serve_forever()


if __name__ == '__main__':
    main()
