"""Wisp blackbox action runtime: any executable, OpenWhisk's dockerskeleton convention.

/init takes a script starting with `#!` (text) or a base64 zip with an executable `exec` at its root.
Each /run starts that executable with the parameters as JSON in its single argument and on stdin, and the
activation's fields as __OW_* environment variables. The last line of stdout is the result (a JSON object);
the earlier stdout lines and all of stderr are the activation's logs. Activations run concurrently, each its
own process. Standard library only.

The invoker mounts /tmp as a tmpfs, which Docker mounts `noexec` unless told otherwise; the code lives there,
so when /tmp is noexec a script is started through the interpreter named in its `#!` line, and a binary
from an in-memory copy (memfd).
"""

import base64
import binascii
import hashlib
import hmac
import io
import json
import os
import selectors
import signal
import subprocess
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
    and then gone from the environment (so the executable never sees it)."""
    token = os.environ.pop('WISP_RUNTIME_TOKEN', '')
    return hashlib.sha256(token.encode('utf-8', 'surrogateescape')).digest() if token else None


# When set, POST /init and /run need "Authorization: Bearer <token>".
_TOKEN_DIGEST = _take_token()
UNAUTHORIZED = {'error': 'This action container accepts requests from its invoker only.'}
MAX_ARG = 131071      # MAX_ARG_STRLEN: a longer parameter JSON goes on stdin only
MAX_RESULT = 8 * 1024 * 1024  # the longest stdout line kept whole as a result candidate
EXIT_GRACE = 0.2      # seconds to wait for the pipes after the process exits (a child may hold them)
_real_lock = threading.Lock()


def real_write(stream, data):
    target = sys.stdout.buffer if stream == 'stdout' else sys.stderr.buffer
    with _real_lock:
        target.write(data)
        target.flush()


def iso_now():
    t = time.time()
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + '.%03dZ' % (int(t * 1000) % 1000)


class LogCapture:
    """The lines of one activation, up to `limit` bytes of text (each line plus its newline)."""

    def __init__(self, limit):
        self.limit = limit
        self.bytes = 0
        self.lines = []  # (time, stream, text)
        self.truncated = False

    def add(self, stream, raw):
        """Adds a line; returns its index in `lines`, or None when it was dropped."""
        if self.truncated:
            return None
        size = len(raw) + 1
        if self.bytes + size > self.limit:
            self.truncated = True
            self.lines.append((iso_now(), 'stderr', 'Logs were truncated because the total bytes size '
                               'exceeds the limit of %d bytes.' % self.limit))
            return None
        self.bytes += size
        self.lines.append((iso_now(), stream, raw.decode('utf-8', 'replace')))
        return len(self.lines) - 1

    def remove(self, index, raw):
        del self.lines[index]
        self.bytes -= len(raw) + 1

    def formatted(self):
        return ['%s %s: %s' % line for line in self.lines]


class Output:
    """Splits a process's stdout and stderr into log lines as they come. The last stdout line that is not
    blank may be the result: it is logged like the others and taken out of the logs when it is."""

    def __init__(self, capture):
        self.capture = capture
        self.partial = {'stdout': b'', 'stderr': b''}
        self.last = None        # the latest stdout line that is not blank
        self.last_index = None  # where it is in the logs (None: dropped by the limit)

    def feed(self, stream, data):
        buf = self.partial[stream] + data
        if self.capture.truncated and stream == 'stderr':
            self.partial[stream] = b''
            return
        if self.capture.truncated:
            # only the last stdout line that is not blank still matters
            lines = buf.split(b'\n')
            self.partial[stream] = lines.pop()[-MAX_RESULT:]
            for line in reversed(lines):
                if line.strip():
                    self.last, self.last_index = line, None
                    break
            return
        lines = buf.split(b'\n')
        self.partial[stream] = lines.pop()
        for line in lines:
            if stream == 'stdout':
                self._stdout_line(line)
            else:
                self.capture.add('stderr', line)
        # a huge line without a newline: cut it (a log line over the limit ends the logs anyway)
        room = MAX_RESULT if stream == 'stdout' else self.capture.limit - self.capture.bytes
        if len(self.partial[stream]) > room:
            self.feed(stream, b'\n')

    def _stdout_line(self, line):
        index = self.capture.add('stdout', line)
        if line.strip():
            self.last, self.last_index = line, index

    def finish(self):
        """Flushes what is left; returns the result candidate (bytes) or None."""
        if self.partial['stderr']:
            self.capture.add('stderr', self.partial['stderr'])
        if self.partial['stdout']:
            self._stdout_line(self.partial['stdout'])
        self.partial = {'stdout': b'', 'stderr': b''}
        return self.last

    def accept(self):
        """The candidate is the result: not a log line."""
        if self.last_index is not None:
            self.capture.remove(self.last_index, self.last)


# ------------------------------------------------------------------------------------------ the executable

class InitError(Exception):
    pass


class Executable:
    """How to start the action's executable, decided once at /init."""

    def __init__(self, path, workdir):
        self.path = path
        self.workdir = workdir
        self.argv_prefix = [path]
        self.exe = None      # a path to execute instead of argv[0]
        self.pass_fds = ()
        with open(path, 'rb') as f:
            head = f.read(4096)
        is_script = head.startswith(b'#!')
        if not is_script and not head.startswith(b'\x7fELF'):
            raise InitError("'exec' is neither a script starting with #! nor an ELF executable.")
        os.chmod(path, 0o755)
        if not os.statvfs(path).f_flag & os.ST_NOEXEC:
            return
        if is_script:
            # what the kernel would do: interpreter, its one optional argument, the script
            line = head[2:].split(b'\n', 1)[0].decode('utf-8', 'replace').strip()
            interpreter, _, argument = line.partition(' ')
            if not interpreter:
                raise InitError("The script's #! line names no interpreter.")
            argument = argument.strip()
            self.argv_prefix = [interpreter] + ([argument] if argument else []) + [path]
        else:
            fd = os.memfd_create('wisp-exec', 0)
            with open(path, 'rb') as src:
                data = src.read()
            os.write(fd, data)
            self.exe = '/proc/self/fd/%d' % fd
            self.pass_fds = (fd,)

    def start(self, params_json, env):
        argv = list(self.argv_prefix)
        if len(params_json) <= MAX_ARG:
            argv.append(params_json)
        return subprocess.Popen(
            argv, executable=self.exe, pass_fds=self.pass_fds, cwd=self.workdir, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


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
            for info in archive.infolist():
                target = archive.extract(info, dest)
                mode = (info.external_attr >> 16) & 0o777
                if mode and not info.is_dir():
                    os.chmod(target, mode)
    except (binascii.Error, zipfile.BadZipFile, ValueError) as e:
        raise InitError('Unable to unzip the action code: %s' % e)
    except OSError as e:
        raise InitError('Unable to unzip the action code into /tmp: %s' % e)


def init(value):
    code = value.get('code')
    if not isinstance(code, str) or not code:
        raise InitError('Missing action code ("value.code"): a script starting with #! or a zip with exec.')
    env = value.get('env')
    if isinstance(env, dict):
        for k, v in env.items():
            os.environ[str(k)] = v if isinstance(v, str) else json.dumps(v)
    work = tempfile.mkdtemp(prefix='wisp-action-')
    if value.get('binary') in (True, 'true'):
        unzip(code, work)
    elif code.startswith('#!'):
        with open(os.path.join(work, 'exec'), 'w', encoding='utf-8') as f:
            f.write(code)
    else:
        raise InitError('The action code must be a script starting with #! or a base64 zip (binary) with exec.')
    path = os.path.join(work, 'exec')
    if not os.path.isfile(path):
        raise InitError("The action zip has no executable 'exec' at its root.")
    return Executable(path, work)


# ------------------------------------------------------------------------------------------ activation

def env_value(v):
    if v is None:
        return ''
    return v if isinstance(v, str) else json.dumps(v)


def pump(proc, stdin_data, output):
    """Feeds stdin and reads stdout/stderr until both close (or the process exits and EXIT_GRACE passes)."""
    sel = selectors.DefaultSelector()
    for stream, name in ((proc.stdout, 'stdout'), (proc.stderr, 'stderr')):
        os.set_blocking(stream.fileno(), False)
        sel.register(stream, selectors.EVENT_READ, name)
    if stdin_data:
        os.set_blocking(proc.stdin.fileno(), False)
        sel.register(proc.stdin, selectors.EVENT_WRITE, 'stdin')
    else:
        proc.stdin.close()
    view, offset, exited_at = memoryview(stdin_data), 0, None
    try:
        while sel.get_map():
            if exited_at is None and proc.poll() is not None:
                exited_at = time.monotonic()
            if exited_at is not None and time.monotonic() - exited_at > EXIT_GRACE:
                break
            for key, _ in sel.select(timeout=0.05 if exited_at is not None else 0.5):
                if key.data == 'stdin':
                    try:
                        offset += os.write(key.fd, view[offset:offset + 65536])
                    except (BrokenPipeError, OSError):
                        offset = len(view)
                    if offset >= len(view):
                        sel.unregister(key.fileobj)
                        key.fileobj.close()
                    continue
                data = os.read(key.fd, 262144)
                if data:
                    output.feed(key.data, data)
                else:
                    sel.unregister(key.fileobj)
    finally:
        for key in list(sel.get_map().values()):
            sel.unregister(key.fileobj)
        sel.close()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            try:
                stream.close()
            except OSError:
                pass
    return proc.wait()


def activate(executable, body, log_limit):
    """Runs the executable once; returns (status, result, capture)."""
    capture = LogCapture(log_limit)
    output = Output(capture)
    params = body.get('value')
    if params is None:
        params = {}
    params_json = json.dumps(params)
    env = dict(os.environ)
    env.update({'__OW_%s' % k.upper(): env_value(v) for k, v in body.items() if k != 'value'})
    try:
        proc = executable.start(params_json, env)
    except OSError as e:
        return 502, {'error': 'The action could not be started: %s' % e}, capture
    code = pump(proc, (params_json + '\n').encode('utf-8'), output)
    last = output.finish()
    result = None
    if last is not None:
        try:
            result = json.loads(last.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            result = None
    if isinstance(result, dict):
        output.accept()
        return 200, result, capture
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = 'signal %d' % -code
        return 502, {'error': 'The action was killed by %s and did not return a dictionary.' % name}, capture
    if code != 0:
        return 502, {'error': 'The action exited with exit code %d and did not return a dictionary.' % code}, \
            capture
    return 502, {'error': 'The action did not return a dictionary.'}, capture


# ------------------------------------------------------------------------------------------ HTTP

class State:
    lock = threading.Lock()
    phase = 'new'  # new -> initializing -> ready (or back to new after a failed init)
    executable = None


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive: the invoker pools its connections
    disable_nagle_algorithm = True
    server_version = 'wisp-blackbox'
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
            State.executable = init(value if isinstance(value, dict) else {})
        except Exception as e:
            State.phase = 'new'
            if not isinstance(e, InitError):
                real_write('stderr', traceback.format_exc().encode())
            message = str(e) if isinstance(e, InitError) else '%s: %s' % (type(e).__name__, e)
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
        status, result, capture = activate(State.executable, body, limit)
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
    real_write('stdout', ('wisp blackbox runtime listening on %d\n' % server.server_address[1]).encode())
    server.serve_forever()


if __name__ == '__main__':
    main()
