package org.diffusiontck.golden.model;

import java.util.Arrays;
import org.diffusiontck.checks.child.ChildLimits;
import org.diffusiontck.checks.child.ChildProcess;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.reference.SameName;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.wire.Eps;
import org.diffusiontck.checks.wire.ModelDeclaration;
import org.diffusiontck.reference.Require;
import org.diffusiontck.reference.param.Prediction;
import org.diffusiontck.reference.sampling.NoisePredictor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model served by a child process over the protocol's {@code eps} operation ({@code
 * spec/PROTOCOL.md}, section 8), named {@code process:<command line>}: for a framework that does
 * not export ONNX. The kit sends x_t as doubles and the papers' t, and reads back the model's
 * output; what it means (ε, x_0 or v), the shape of a sample, the dtype and the device come from
 * the process's handshake.
 *
 * <p>A model that refuses a request, crashes, hangs, writes something that is not an answer, or
 * answers NaN, an infinity or another shape fails the command: an {@link IllegalArgumentException}
 * naming the model and the reason, with the last lines of its stderr. Its process tree is ended
 * then, and always by {@link #close()}.
 */
public final class ProcessModel implements NoisePredictor, AutoCloseable {
  /** The prefix of a process model's name. */
  public static final String PREFIX = "process:";

  private final String spec;
  private final ChildProcess<ModelDeclaration> child;
  private final ModelDeclaration declaration;

  private ProcessModel(String spec, ChildLimits limits) {
    this.spec = spec;
    String commandLine = spec.substring(PREFIX.length());
    if (commandLine.isBlank()) {
      throw new IllegalArgumentException("model " + spec + " names no command line: give"
          + " process:<command line>");
    }
    this.child = new ChildProcess<>(commandLine, null, limits, ModelDeclaration::of);
    try {
      this.declaration = child.declaration();
    } catch (RuntimeException e) {
      child.close();
      throw new IllegalArgumentException("model " + spec + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts the process {@code spec} names ({@code process:<command line>}, run by {@code /bin/sh
   * -c} in the working directory) and shakes hands.
   *
   * @param limits how long the handshake and each request may take, the longest answer line
   * @throws IllegalArgumentException if it cannot start or its handshake is not a model's
   */
  public static ProcessModel start(String spec, ChildLimits limits) {
    if (spec == null || !spec.startsWith(PREFIX)) {
      throw new IllegalArgumentException("model " + spec + " is not " + PREFIX + "<command line>");
    }
    return new ProcessModel(spec, limits);
  }

  /** What the process declared. */
  public ModelDeclaration declaration() {
    return declaration;
  }

  @Override
  public Prediction prediction() {
    return SameName.in(Prediction.class, declaration.prediction());
  }

  /** The process's output at (x_t, t), as doubles of x_t's shape. */
  @Override
  public INDArray predict(INDArray xt, int[] t) {
    Require.onePerSample("t", t, "xt", xt);
    long[] shape = xt.shape();
    long[] sample = Arrays.copyOfRange(shape, 1, shape.length);
    if (!Arrays.equals(sample, declaration.sampleShape())) {
      throw new IllegalArgumentException("model " + spec + " accepts samples of shape "
          + declaration.shape() + " (its declaration), got x_t of shape "
          + Arrays.toString(shape));
    }
    Tensor x = new Tensor(shape, xt.dup('c').data().asDouble());
    try {
      Tensor out = child.call(Eps.OP, id -> Eps.request(id, x, t),
          (result, what) -> Eps.result(result, shape, what));
      return Nd4j.create(out.data(), shape, 'c');
    } catch (Rejected e) {
      child.close();
      throw new IllegalArgumentException("model " + spec + " refused " + Eps.OP + " at t = "
          + Arrays.toString(t) + ": " + e.getMessage(), e);
    } catch (ImplementationError e) {
      child.close();
      throw new IllegalArgumentException("model " + spec + " failed at t = " + Arrays.toString(t)
          + ": " + e.getMessage(), e);
    }
  }

  /** Where the model runs, as it declared: its key selects a record's tolerances. */
  public Environment environment() {
    return new Environment(declaration.device(), declaration.dtype(), declaration.name(),
        "child process " + spec.substring(PREFIX.length()));
  }

  /** Ends the process and its tree. */
  @Override
  public void close() {
    child.close();
  }
}
