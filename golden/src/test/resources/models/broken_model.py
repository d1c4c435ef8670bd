#!/usr/bin/env python3
"""A deliberately broken model process for the kit's own tests of process models.

It answers the handshake as a model (epsilon, float64, cpu, one 1x8x8 sample), then misbehaves
on every eps request in the way its first argument names:

  crash        writes a message to stderr and exits with status 3
  hang         never answers (it must be killed)
  garbage      answers with a line that is not JSON
  nan          answers with a tensor holding NaN
  infinity     answers with a tensor holding Infinity
  wrong-shape  answers with a tensor of another shape
  refuse       answers with an error
  not-a-model  declares the operation noise instead of eps (an implementation's handshake)
  no-shape     declares no shape
  daemon       starts a sleeping grandchild in a session of its own (its pid written to the file
               given as second argument), then exits with status 3
"""
import json
import os
import sys
import time

MODE = sys.argv[1]


def zeros_but_one(xt, value):
    data = [0.0] * len(xt["data"])
    data[1] = value
    return {"result": {"shape": xt["shape"], "data": data}}


def crash(request):
    sys.stderr.write("broken model: simulated crash on request %d\n" % request["id"])
    sys.exit(3)


def hang(request):
    time.sleep(3600)


def daemon(request):
    if os.fork() == 0:
        os.setsid()
        with open(sys.argv[2], "w") as f:
            f.write("%d\n" % os.getpid())
        time.sleep(1000)
        os._exit(0)
    time.sleep(0.5)  # the daemon has written its pid
    sys.exit(3)


ANSWERS = {
    "crash": crash,
    "hang": hang,
    "daemon": daemon,
    "garbage": lambda r: "this is not JSON",
    "nan": lambda r: zeros_but_one(r["xt"], float("nan")),
    "infinity": lambda r: zeros_but_one(r["xt"], float("inf")),
    "wrong-shape": lambda r: {"result": {"shape": [1], "data": [0.0]}},
    "refuse": lambda r: {"error": "this model refuses t = %s" % r["t"]},
}

declaration = {"name": "broken model (" + MODE + ")", "dtype": "float64", "device": "cpu",
               "operations": ["noise" if MODE == "not-a-model" else "eps"],
               "prediction": "epsilon", "shape": [1, 8, 8]}
if MODE == "no-shape":
    del declaration["shape"]

for line in sys.stdin:
    request = json.loads(line)
    answer = {"result": declaration} if request["op"] == "hello" else ANSWERS[MODE](request)
    if isinstance(answer, dict):
        answer = json.dumps(dict(answer, id=request["id"]))
    sys.stdout.write(answer + "\n")
    sys.stdout.flush()
