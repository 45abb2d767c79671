"""Background jobs are forks of the web process: what a fork inherits must not hang them."""

import os
import threading

from numba.core.compiler_lock import global_compiler_lock

from dashboard import background  # noqa: F401  (registers the fork hooks)


def test_a_job_forked_while_a_thread_compiles_a_kernel_gets_the_compiler_lock():
    """A web thread loading a numba kernel holds its compiler lock; a job forked then used to hang on it."""
    held, done = threading.Event(), threading.Event()

    def compile_kernel():
        with global_compiler_lock:
            held.set()
            done.wait()

    thread = threading.Thread(target=compile_kernel)
    thread.start()
    held.wait()
    threading.Timer(0.2, done.set).start()  # the "compilation" ends; the fork waits for it
    pid = os.fork()
    if pid == 0:
        os._exit(0 if global_compiler_lock._lock.acquire(timeout=10) else 1)
    _, status = os.waitpid(pid, 0)
    thread.join()
    assert os.waitstatus_to_exitcode(status) == 0
