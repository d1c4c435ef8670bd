#!/usr/bin/env python3
"""A deliberately broken implementation for the kit's own tests of the child-process driver.

It answers the handshake (declaring the noise operation only), then misbehaves on every noise
request in the way its first argument names:

  crash        writes a message to stderr and exits with status 3
  hang         never answers, and ignores the end of its input (it must be killed)
  garbage      answers with a line that is not JSON
  nan          answers with a tensor holding NaN
  wrong-shape  answers with a tensor of another shape
  grandchild   starts a long-lived grandchild process, then never answers
  crash-once   crashes on its first noise request ever (a marker file in the directory given as
               second argument remembers it), then answers correctly through the Python example
               (its directory the third argument)
  no-hello     exits before the handshake
  wrong-id     answers with another request's id
  result-and-error  answers with both "result" and "error"
  long-line    answers with one 50 MB line that is not JSON
  endless-line writes one line without end
  orphan       starts a long-lived grandchild (sharing its output), then exits with status 3
  setsid-daemon  starts a grandchild in a session of its own (a daemon), then exits with status 3
  double-fork  starts a grandchild through a parent that exits at once, then exits with status 3
  stderr-flood writes 20 MB to stderr, then a last line, and exits with status 3
  closed-stdout  closes its output and lives on, ignoring the end of its input
  no-conventions, no-dtype, no-name, no-operations  a declaration without that field (or with
               an empty list of operations)

If the environment variable BROKEN_CHILD_PIDS names a file, the pid of every process the child
starts (and its own) is appended to it, one a line, so that a test can check none survives.
"""
import json
import os
import subprocess
import sys
import time

MODE = sys.argv[1]
PIDS = os.environ.get("BROKEN_CHILD_PIDS")


def record(pid):
    if PIDS:
        with open(PIDS, "a") as f:
            f.write("%d\n" % pid)


def sleeper():
    """A long-lived process started through the shell; its pid is recorded."""
    record(subprocess.Popen(["sleep", "1000"]).pid)


def daemon(new_session):
    """A grandchild sleeping in its own session, or orphaned by a parent that exits at once."""
    read, write = os.pipe()
    if os.fork() == 0:
        os.close(read)
        if new_session:
            os.setsid()
        if os.fork() == 0:
            os.write(write, b"%d\n" % os.getpid())
            os.close(write)
            time.sleep(1000)
        os._exit(0)
    os.close(write)
    record(int(os.read(read, 64)))
    os.close(read)

DECLARATION = {
    "name": "broken child (" + MODE + ")", "dtype": "float64", "operations": ["noise"],
    "schedules": [], "zeroTerminalSnr": False, "predictions": [], "varianceChoices": [],
    "spacings": [], "clippings": [],
    "conventions": {"linearEndpoints": "fixed", "t1LogVariance": "clip_to_beta_tilde_2",
                    "ddimEpsilon": "model", "finalAlphaBar": "one",
                    "previousTimestep": "next_selected", "inversionModelTime": "source",
                    "decoderCdf": "exact"},
}


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def misbehave(request):
    rid = request["id"]
    if MODE == "crash":
        sys.stderr.write("broken child: simulated crash on request %d\n" % rid)
        sys.exit(3)
    if MODE == "hang":
        time.sleep(3600)
    if MODE == "garbage":
        sys.stdout.write("this is not JSON\n")
        sys.stdout.flush()
        return
    if MODE == "nan":
        n = 1
        for d in request["shape"]:
            n *= d
        reply({"id": rid, "result": {"shape": request["shape"], "data": [float("nan")] * n}})
        return
    if MODE == "wrong-shape":
        reply({"id": rid, "result": {"shape": [1], "data": [0.0]}})
        return
    if MODE == "grandchild":
        subprocess.Popen(["sleep", "300"])
        while True:
            sys.stdin.readline() or sys.exit(0)
    if MODE == "wrong-id":
        reply({"id": rid + 1, "result": {"shape": [1], "data": [0.0]}})
        return
    if MODE == "result-and-error":
        reply({"id": rid, "result": {"shape": request["shape"], "data": [0.0]}, "error": "and no"})
        return
    if MODE == "long-line":
        sys.stdout.write("x" * (50 << 20) + "\n")
        sys.stdout.flush()
        return
    if MODE == "endless-line":
        chunk = "x" * (1 << 16)
        while True:
            sys.stdout.write(chunk)
    if MODE == "orphan":
        sleeper()
        sys.exit(3)
    if MODE in ("setsid-daemon", "double-fork"):
        daemon(MODE == "setsid-daemon")
        sys.exit(3)
    if MODE == "stderr-flood":
        line = "broken child: flooding stderr " + "y" * 1000 + "\n"
        for _ in range(20 << 10):
            sys.stderr.write(line)
        sys.stderr.write("broken child: the last line after the flood\n")
        sys.exit(3)
    if MODE == "closed-stdout":
        sys.stdout.close()
        os.close(1)
        time.sleep(3600)
    if MODE == "crash-once":
        marker = os.path.join(sys.argv[2], "crashed")
        if not os.path.exists(marker):
            open(marker, "w").close()
            sys.stderr.write("broken child: crashing once\n")
            sys.exit(3)
        sys.path.insert(0, sys.argv[3])
        import diffusion_impl
        reply({"id": rid, "result": diffusion_impl.op_noise(request)})
        return
    raise SystemExit("unknown mode " + MODE)


def main():
    record(os.getpid())
    if MODE.startswith("no-") and MODE != "no-hello":
        field = MODE[3:]
        if field == "operations":
            DECLARATION["operations"] = []
        else:
            del DECLARATION[field]
    if MODE == "no-hello":
        sys.stderr.write("broken child: giving up before the handshake\n")
        sys.exit(1)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "hello":
            reply({"id": request["id"], "result": DECLARATION})
        else:
            misbehave(request)


main()
