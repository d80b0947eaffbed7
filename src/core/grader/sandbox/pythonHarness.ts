// The Python side of the `python` sandbox (run once per Pyodide instance by pyodideEngine.ts). It defines
// `_rft_run(source, sample_json, item_json) -> str` and then closes the doors a grader could use to leave the
// sandbox from Python: the bridges to JavaScript (`js`, `pyodide`, `pyodide_js`, `_pyodide*`), sockets and
// processes are unimportable and dropped from sys.modules, and os.system & co. raise. The JavaScript side closes
// them again below Python (see pyodideEngine.ts), so one missed door here is not an escape.
//
// `_rft_run` answers text: "n<float repr>" for an int or float, "j<JSON>" for other JSON values, "s<repr>" for
// anything else, "x<JSON {code, message}>" for an error.

export const PYTHON_HARNESS = String.raw`
import builtins, json, os, posix, shutil, sys, traceback

_NO_HOST = ('js', 'pyodide', 'pyodide_js', '_pyodide', '_pyodide_core', 'micropip', 'pyodide_http', 'pyodide_kernel')
_NO_NETWORK = ('socket', '_socket', 'ssl', '_ssl', 'select', 'selectors', 'asyncio', '_asyncio', '_overlapped', 'ftplib', 'smtplib', 'poplib', 'imaplib', 'nntplib', 'telnetlib', 'webbrowser')
_NO_PROCESS = ('subprocess', '_posixsubprocess', 'multiprocessing', '_multiprocessing', 'ctypes', '_ctypes', 'gc', 'resource', 'pty', 'tty', 'termios')
_BLOCKED = {**{m: 'python graders cannot reach JavaScript or the host' for m in _NO_HOST},
            **{m: 'python graders have no network' for m in _NO_NETWORK},
            **{m: 'python graders cannot start processes or reach the interpreter' for m in _NO_PROCESS}}


def _blocked_reason(name):
    return _BLOCKED.get(name.partition('.')[0])


class _Blocker:
    """First on sys.meta_path: the blocked modules are never found."""

    def find_spec(self, name, path=None, target=None):
        reason = _blocked_reason(name)
        if reason is not None:
            raise ModuleNotFoundError(name + ' is not available: ' + reason, name=name)
        return None


sys.meta_path.insert(0, _Blocker())
for _name in list(sys.modules):
    if _blocked_reason(_name) is not None:
        del sys.modules[_name]


def _refuse(name):
    def refused(*args, **kwargs):
        raise PermissionError('os.' + name + ' is not available: python graders cannot start processes')
    return refused


for _name in ('system', 'popen', 'fork', 'forkpty', 'execv', 'execve', 'execl', 'execle', 'execlp', 'execlpe', 'execvp', 'execvpe',
              'spawnl', 'spawnle', 'spawnlp', 'spawnlpe', 'spawnv', 'spawnve', 'spawnvp', 'spawnvpe', 'posix_spawn', 'posix_spawnp',
              'kill', 'killpg', '_exit', 'abort'):
    for _module in (os, posix):
        if hasattr(_module, _name):
            setattr(_module, _name, _refuse(_name))

_known_modules = set(sys.modules)
_STATE = (list(sys.meta_path), list(sys.path), list(sys.path_hooks), dict(vars(builtins)), sys.getrecursionlimit(), sys.stdin, sys.stdout, sys.stderr)


def _restore_state():
    """What a call may have changed in the interpreter goes back, so the next call starts where every call starts."""
    meta_path, path, path_hooks, builtins_dict, recursion_limit, stdin, stdout, stderr = _STATE
    sys.meta_path[:] = meta_path
    sys.path[:] = path
    sys.path_hooks[:] = path_hooks
    namespace = vars(builtins)
    if namespace != builtins_dict:
        namespace.clear()
        namespace.update(builtins_dict)
    sys.setrecursionlimit(recursion_limit)
    sys.settrace(None)
    sys.setprofile(None)
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    added = sys.modules.keys() - _known_modules
    if added:
        for name in added:
            if _blocked_reason(name) is not None:
                del sys.modules[name]
            else:
                _known_modules.add(name)


_SCRATCH = ('/tmp', '/home/pyodide')
_scratch_before = {d: set(os.listdir(d)) for d in _SCRATCH if os.path.isdir(d)}
_compiled = {}


def _clean_scratch():
    """Files a call left in the in-memory scratch folders go, so the next call cannot see them."""
    for folder, before in _scratch_before.items():
        for entry in set(os.listdir(folder)) - before:
            path = folder + '/' + entry
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
            except OSError:
                pass


def _error(code, message):
    return 'x' + json.dumps({'code': code, 'message': message})


def _grader_line(error):
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == 'grader.py':
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(error, SyntaxError) and error.filename == 'grader.py':
        line = error.lineno
    return line


def _describe(error):
    if isinstance(error, KeyboardInterrupt):
        return _error('unresponsive_reward_error', 'KeyboardInterrupt')
    if isinstance(error, MemoryError):
        return _error('memory_limit_error', 'MemoryError: the grader used more than its memory limit')
    if isinstance(error, ImportError) and error.name:
        top = error.name.partition('.')[0]
        reason = _blocked_reason(top)
        if reason is not None:
            return _error('python_grader_runtime_error', top + ' is not available: ' + reason)
        if top not in sys.stdlib_module_names:
            return _error('python_grader_runtime_error', top + ' is not available: python graders run with the standard library only')
    try:
        last = traceback.format_exception_only(type(error), error)[-1].strip()
    except BaseException:
        last = type(error).__name__
    if isinstance(error, SystemExit):
        last = 'SystemExit: the grader called exit()'
    line = _grader_line(error)
    return _error('python_grader_runtime_error', last + (' (grader.py line ' + str(line) + ')' if line is not None else ''))


def _encode(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return 'n' + repr(float(value))
        except OverflowError:
            return 's' + repr(value)
    try:
        return 'j' + json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return 's' + repr(value)


def _rft_run(source, sample_json, item_json):
    try:
        code = _compiled.get(source)
        if code is None:
            code = compile(source, 'grader.py', 'exec')
            if len(_compiled) >= 16:
                _compiled.pop(next(iter(_compiled)))
            _compiled[source] = code
        namespace = {'__name__': '__grader__', '__builtins__': builtins}
        exec(code, namespace)
        grade = namespace.get('grade')
        if not callable(grade):
            return _error('python_grader_runtime_error', 'the source defines no function grade(sample, item)')
        return _encode(grade(json.loads(sample_json), json.loads(item_json)))
    except BaseException as error:
        try:
            return _describe(error)
        except BaseException:
            return _error('python_grader_runtime_error', type(error).__name__)
    finally:
        _restore_state()
        _clean_scratch()
`;
