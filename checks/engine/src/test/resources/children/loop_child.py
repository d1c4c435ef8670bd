"""A child whose one loop operation makes the callback its command-line mode names (LoopCallbacksTest)."""
import json
import sys

MODE = sys.argv[1]
DECLARATION = {
    "name": "loop child (" + MODE + ")", "dtype": "float64",
    "operations": ["schedule", "ddim_sample"], "schedules": ["linear"], "zeroTerminalSnr": False,
    "predictions": ["epsilon"], "varianceChoices": ["fixed_small"], "spacings": ["linspace"],
    "clippings": ["none"],
    "conventions": {"linearEndpoints": "fixed", "t1LogVariance": "clip_to_beta_tilde_2",
                    "ddimEpsilon": "model", "finalAlphaBar": "one",
                    "previousTimestep": "next_selected", "inversionModelTime": "source",
                    "decoderCdf": "exact"},
}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


for line in iter(sys.stdin.readline, ""):
    request = json.loads(line)
    rid = request["id"]
    if request["op"] == "hello":
        send({"id": rid, "result": DECLARATION})
    elif request["op"] == "schedule":  # calls back where no loop runs
        send({"id": rid, "callback": "model", "xt": {"shape": [1, 1], "data": [0.0]}, "t": 1})
    else:
        t = {"t-zero": 0, "unknown": 1, "fine": 1}[MODE]
        send({"id": rid, "callback": "gradient" if MODE == "unknown" else "model",
              "xt": request["x"], "t": t})
        reply = json.loads(sys.stdin.readline())
        if "error" in reply:
            send({"id": rid, "error": "the kit refused: " + reply["error"]})
        else:
            send({"id": rid, "result": reply["result"]})
