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
"""
import json
import os
import subprocess
import sys
import time

MODE = sys.argv[1]

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
