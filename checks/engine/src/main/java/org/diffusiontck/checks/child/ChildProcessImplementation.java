package org.diffusiontck.checks.child;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.DiffusionImplementation;
import org.diffusiontck.checks.impl.LoopRequest;
import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.Model;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.wire.Wire;
import org.diffusiontck.checks.wire.WireException;

/**
 * An implementation under test that runs as a child process speaking {@code spec/PROTOCOL.md}
 * ({@link ChildProcess}): newline-delimited JSON on its stdin and stdout, a handshake first, then
 * one answer per request.
 *
 * <p>The handshake and each request wait at most their timeouts ({@link ChildLimits}). A child
 * that exits, hangs, or writes a line that is not an answer is killed with its whole process tree
 * ({@link ProcessTree}), and the request fails with an
 * {@link ImplementationError} carrying the reason and the last lines of the child's stderr. Further
 * requests fail at once with the same reason until {@link #nextRule()}, which lets the next rule
 * start a fresh child: one broken rule does not take the rest down. An {@code "error"} answer is a
 * refusal ({@link Rejected}), not a failure of the child. {@link #close()} always ends the tree.
 */
public final class ChildProcessImplementation implements DiffusionImplementation, AutoCloseable {
  private final ChildProcess<Declaration> child;

  /**
   * @param commandLine run by {@code /bin/sh -c}, so that quoting and environment assignments work
   *     as in a terminal
   * @param directory the child's working directory (null: the kit's)
   * @param limits the handshake and request timeouts and the longest answer line
   */
  public ChildProcessImplementation(String commandLine, Path directory, ChildLimits limits) {
    this.child = new ChildProcess<>(commandLine, directory, limits, Wire::declaration);
  }

  public ChildProcessImplementation(String commandLine) {
    this(commandLine, null, ChildLimits.defaults());
  }

  /**
   * The child's declaration, from the handshake (started on first use). A child whose handshake
   * fails raises an {@link ImplementationError} with the reason.
   */
  @Override
  public Declaration declaration() {
    return child.declaration();
  }

  /** How many times a child was started (the first start and each restart). */
  public int starts() {
    return child.starts();
  }

  /** The process of the running child, if any (for tests that check the tree is gone). */
  public ProcessHandle handle() {
    return child.handle();
  }

  /**
   * A new rule begins: after a crash or hang in the previous one, the next request starts a fresh
   * child instead of failing at once.
   */
  public void nextRule() {
    child.allowRestart();
  }

  /** Sends one request and returns the decoded answer. */
  public <R> R call(Request<R> request) {
    return child.call(request.operation().label(), id -> Wire.request(id, request),
        (result, what) -> Wire.bind(result, Wire.resultType(request.operation()),
            "the answer to " + what));
  }

  /**
   * Sends one loop request and answers the child's model callbacks from {@code model} until the
   * loop's final sample comes back. A callback the model refuses (t outside 1..T) or that is
   * malformed is answered with an error, which the child passes on as its own.
   */
  public Tensor call(LoopRequest request, Model model) {
    return child.call(request.operation().label(), id -> Wire.request(id, request),
        (result, what) -> Wire.bind(result, Wire.resultType(request.operation()),
            "the answer to " + what),
        (callback, id) -> answer(callback, id, model));
  }

  private static String answer(JsonNode callback, long id, Model model) {
    try {
      if (!Wire.MODEL.equals(callback.path(Wire.CALLBACK).asText())) {
        throw new WireException("unknown callback " + callback.get(Wire.CALLBACK)
            + "; the kit answers \"" + Wire.MODEL + "\" only");
      }
      JsonNode t = callback.get("t");
      if (t == null || !t.canConvertToInt() || !t.isIntegralNumber()) {
        throw new WireException("a model callback needs an integer \"t\", got " + t);
      }
      Tensor xt = Wire.bind(callback.get("xt"), Wire.mapper().constructType(Tensor.class),
          "the callback's xt");
      return Wire.callbackResult(id, model.output(xt, t.asInt()));
    } catch (WireException | IllegalArgumentException e) {
      return Wire.callbackError(id, e.getMessage());
    }
  }

  /** Ends the child and its process tree. */
  @Override
  public void close() {
    child.close();
  }

  @Override
  public ScheduleTables schedule(Requests.Schedule r) {
    return call(r);
  }

  @Override
  public Tensor forwardSample(Requests.ForwardSample r) {
    return call(r);
  }

  @Override
  public PosteriorResult posterior(Requests.Posterior r) {
    return call(r);
  }

  @Override
  public Tensor convert(Requests.Convert r) {
    return call(r);
  }

  @Override
  public Tensor noise(Requests.Noise r) {
    return call(r);
  }

  @Override
  public Tensor reverseLogVariance(Requests.ReverseLogVariance r) {
    return call(r);
  }

  @Override
  public double[] kl(Requests.Kl r) {
    return call(r);
  }

  @Override
  public double[] priorTerm(Requests.PriorTerm r) {
    return call(r);
  }

  @Override
  public double[] stepTerm(Requests.StepTerm r) {
    return call(r);
  }

  @Override
  public double[] decoderNll(Requests.DecoderNll r) {
    return call(r);
  }

  @Override
  public Tensor ddpmStep(Requests.DdpmStep r) {
    return call(r);
  }

  @Override
  public Tensor ddimStep(Requests.DdimStep r) {
    return call(r);
  }

  @Override
  public Tensor ddimInvertStep(Requests.DdimInvertStep r) {
    return call(r);
  }

  @Override
  public StepPlan timesteps(Requests.Timesteps r) {
    return call(r);
  }

  @Override
  public Tensor ddpmSample(LoopRequests.DdpmSample r, Model model) {
    return call(r, model);
  }

  @Override
  public Tensor ddimSample(LoopRequests.DdimSample r, Model model) {
    return call(r, model);
  }

  @Override
  public Tensor ddimInvert(LoopRequests.DdimInvert r, Model model) {
    return call(r, model);
  }
}
