"""Wisp blackbox action runtime: any executable, OpenWhisk's dockerskeleton convention.

/init takes a script starting with `#!` (text) or a base64 zip with an executable `exec` at its root.
Each /run starts that executable with the parameters as JSON in its single argument and on stdin, and the
activation's fields as __OW_* environment variables. The last line of stdout is the result (a JSON object);
the earlier stdout lines and all of stderr are the activation's logs. Activations run concurrently, each its
own process. The protocol itself (HTTP, the token, /init once, the envelope or the plain answer with the
sentinels) is wisp_protocol's, shared with the Python runtime. Standard library only.

The invoker mounts /tmp as a tmpfs, which Docker mounts `noexec` unless told otherwise; the code lives there,
so when /tmp is noexec a script is started through the interpreter named in its `#!` line, and a binary
from an in-memory copy (memfd).
"""

import json
import os
import selectors
import signal
import subprocess
import time

# first: importing it takes the invoker's token out of os.environ (so the executable never sees it)
from wisp_protocol import (InitError, LogLines, export_init_env, new_action_directory, run_params, run_variables,
                           serve, unzip)

MAX_ARG = 131071      # MAX_ARG_STRLEN: a longer parameter JSON goes on stdin only
MAX_RESULT = 8 * 1024 * 1024  # the longest stdout line kept whole as a result candidate
EXIT_GRACE = 0.2      # seconds to wait for the pipes after the process exits (a child may hold them)


class LogCapture(LogLines):
    """The lines of one activation, from its process's stdout and stderr as bytes."""

    def add(self, stream, raw):
        """Adds a line; returns its index in `lines`, or None when it was dropped."""
        return self.append(stream, raw.decode('utf-8', 'replace'), len(raw) + 1)

    def remove(self, index, raw):
        del self.lines[index]
        self.bytes -= len(raw) + 1


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


def init(value):
    code = value.get('code')
    if not isinstance(code, str) or not code:
        raise InitError('Missing action code ("value.code"): a script starting with #! or a zip with exec.')
    export_init_env(value)
    work = new_action_directory()
    if value.get('binary') in (True, 'true'):
        unzip(code, work, keep_modes=True)
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
    params_json = json.dumps(run_params(body))
    env = dict(os.environ)
    env.update(run_variables(body))
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


if __name__ == '__main__':
    serve('blackbox', init, activate)
