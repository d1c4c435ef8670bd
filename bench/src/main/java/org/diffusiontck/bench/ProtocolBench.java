package org.diffusiontck.bench;

import java.util.concurrent.TimeUnit;
import org.diffusiontck.checks.child.ChildProcessImplementation;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The overhead of spec/PROTOCOL.md: round trips per second of small requests through the kit's
 * child-process driver ({@link ChildProcessImplementation}: JSON encoding, the pipe, the answer's
 * parsing, its NaN scan and binding) against a trivial child that answers each {@code noise}
 * request with zeros of the requested shape at once (Python, standard library, as the example).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class ProtocolBench {
  /** A child that declares the noise operation and answers every request with zeros. */
  static final String TRIVIAL_CHILD = "python3 -c '\n"
      + "import json, sys\n"
      + "D = {\"name\": \"trivial\", \"dtype\": \"float64\", \"operations\": [\"noise\"],"
      + " \"schedules\": [], \"zeroTerminalSnr\": False, \"predictions\": [],"
      + " \"varianceChoices\": [], \"spacings\": [], \"clippings\": [], \"conventions\":"
      + " {\"linearEndpoints\": \"fixed\", \"t1LogVariance\": \"clip_to_beta_tilde_2\","
      + " \"ddimEpsilon\": \"model\", \"finalAlphaBar\": \"one\","
      + " \"previousTimestep\": \"next_selected\", \"inversionModelTime\": \"source\","
      + " \"decoderCdf\": \"exact\"}}\n"
      + "for line in sys.stdin:\n"
      + "    r = json.loads(line)\n"
      + "    n = 1\n"
      + "    for d in r.get(\"shape\", []): n *= d\n"
      + "    res = D if r[\"op\"] == \"hello\" else {\"shape\": r[\"shape\"], \"data\": [0.0] * n}\n"
      + "    sys.stdout.write(json.dumps({\"id\": r[\"id\"], \"result\": res}) + \"\\n\")\n"
      + "    sys.stdout.flush()\n"
      + "'";

  /** The answer's shape: 4 values (a small request), or 4096 (a 64 × 64 image). */
  @Param({"1x4", "1x4096"})
  public String shape;

  private ChildProcessImplementation child;
  private Requests.Noise request;

  @Setup(Level.Trial)
  public void start() {
    String[] dims = shape.split("x");
    long[] s = new long[dims.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Long.parseLong(dims[i]);
    }
    request = new Requests.Noise(1, 0, s);
    child = new ChildProcessImplementation(TRIVIAL_CHILD);
    Tensor answer = child.noise(request);
    if (answer.data().length != s[0] * s[1] || answer.data()[0] != 0.0) {
      throw new IllegalStateException("the trivial child answered " + answer);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    child.close();
  }

  /** One request written, one answer read and decoded. */
  @Benchmark
  public Tensor roundTrip() {
    return child.noise(request);
  }
}
