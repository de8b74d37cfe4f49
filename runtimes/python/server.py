"""Wisp Python action runtime: loads a Python action at /init and calls its main at each /run.

The protocol itself (HTTP, the token, /init once, the envelope or the plain answer with the sentinels) is
wisp_protocol's, shared with the blackbox runtime. Standard library only.

Concurrency: every connection has its own thread (ThreadingHTTPServer), so activations of one container may
run at the same time. What an activation writes to sys.stdout/sys.stderr, and the __OW_* variables it reads
from os.environ, belong to that activation: both are looked up through a context variable that the
activation's thread (and threads it starts) carry.
"""

import asyncio
import codecs
import contextvars
import ctypes
import importlib.util
import inspect
import io
import json
import os
import site
import sys
import threading
import traceback

# first: importing it takes the invoker's token out of os.environ
from wisp_protocol import (REAL, InitError, LogLines, describe, export_init_env, new_action_directory, real_write,
                           run_params, run_variables, serve, unzip)

MODULE_NAME = 'main__'  # as OpenWhisk's Python runtime: `if __name__ == "__main__":` blocks do not run

# ------------------------------------------------------------------------------------------ log capture

class LogCapture(LogLines):
    """The lines one activation writes to sys.stdout and sys.stderr, split at newlines as they come."""

    def __init__(self, limit):
        super().__init__(limit)
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
        self.append(stream, text, len(text.encode('utf-8', 'replace')) + 1)
        if self.truncated:
            self.partial = {'stdout': '', 'stderr': ''}

    def close(self):
        with self.lock:
            for stream in ('stdout', 'stderr'):
                rest = self.partial[stream] + self.decoders[stream].decode(b'', final=True)
                self.partial[stream] = ''
                if rest:
                    self._add(stream, rest)
            self.closed = True


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


class ProcessEnviron:
    """Sets the process's own __OW_* variables (the ones processes an action starts inherit) without setenv(),
    which keeps every NAME=value text it was ever given for the life of the process: with a fresh activation id,
    deadline and transaction id in every /run, a warm container grew by about 300 bytes a run until its memory
    limit killed it (a 128 MB container within some 400,000 runs). Each name has two buffers of this process; a
    value is written into the one the C environment does not point at, which putenv() then puts there (the
    environment keeps the pointer, it copies nothing), so C code reading the other one meanwhile reads a whole value.
    Callers hold _run_variables_lock."""

    def __init__(self):
        libc = ctypes.CDLL(None)
        self._putenv = libc.putenv
        self._putenv.argtypes = [ctypes.c_void_p]
        self._buffers = {}  # name -> [the two buffers, the index of the one last put]
        self._outgrown = []  # buffers a longer value replaced: C code may still read one, so never freed

    def set(self, name, value):
        text = os.fsencode(name) + b'=' + os.fsencode(value) + b'\0'
        pair = self._buffers.get(name)
        if pair is None:
            pair = self._buffers[name] = [[None, None], 0]
        index = 1 - pair[1]
        buf = pair[0][index]
        if buf is None or len(buf) < len(text):
            if buf is not None:
                self._outgrown.append(buf)
            buf = pair[0][index] = ctypes.create_string_buffer(max(len(text), 96))
        ctypes.memmove(buf, text, len(text))
        self._putenv(ctypes.addressof(buf))
        pair[1] = index
        environ = os.environ
        environ._data[environ.encodekey(name)] = environ.encodevalue(value)  # os.environ's own copy, no setenv


_process_environ = ProcessEnviron()


# ------------------------------------------------------------------------------------------ action loading

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
    export_init_env(value)
    work = new_action_directory()
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

def activate(action, body, log_limit):
    """Runs the action once; returns (status, result, capture)."""
    capture = LogCapture(log_limit)
    env = run_variables(body)
    with _run_variables_lock:  # process-wide too, for subprocesses (the latest activation's set wins there)
        for k in _run_variables - env.keys():
            os.environ.pop(k, None)
        for k, v in env.items():
            _process_environ.set(k, v)
        _run_variables.update(env)
    act = Activation(capture, env)
    params = run_params(body)
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


if __name__ == '__main__':
    serve('python', init, activate)
