package org.diffusiontck.checks.child;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.diffusiontck.checks.impl.Rejected;
import org.diffusiontck.checks.rules.ImplementationError;
import org.diffusiontck.checks.wire.Wire;
import org.diffusiontck.checks.wire.WireException;

/**
 * A child process speaking the transport of {@code spec/PROTOCOL.md}: newline-delimited JSON on
 * its stdin and stdout, a handshake first, then one answer per request. An implementation under
 * test ({@link ChildProcessImplementation}) and a model ({@code eps}, section 8) both run on it.
 *
 * <p>Each request waits at most the timeout for its answer. A child that crashes, hangs, or writes
 * a line that is not an answer is killed with its whole process tree, and the request fails with an
 * {@link ImplementationError} carrying the reason and the last lines of the child's stderr. Further
 * requests fail at once with the same reason until {@link #allowRestart()}, after which the next
 * request starts a fresh child (which must declare the same). An {@code "error"} answer is a
 * refusal ({@link Rejected}), not a failure of the child. {@link #close()} always ends the tree.
 *
 * @param <D> what the handshake declares
 */
public final class ChildProcess<D> implements AutoCloseable {
  private static final Object EOF = new Object();

  /** Reads a result; a {@link WireException} says what is wrong with it. */
  @FunctionalInterface
  public interface Reader<R> {
    /**
     * @param what the request, for messages: "noise (request 7)"
     */
    R read(JsonNode result, String what);
  }

  /** Answers a model callback a child makes during a loop operation (section 9). */
  @FunctionalInterface
  public interface Callbacks {
    /**
     * @param callback the child's line {@code {"id": n, "callback": …, …}}
     * @param id the id of the request in progress, for the answer
     * @return the answer line, without the newline
     */
    String answer(JsonNode callback, long id);
  }

  private final List<String> command;
  private final Path directory;
  private final Duration timeout;
  private final Function<JsonNode, D> declare;
  private final StderrTail stderr = new StderrTail();
  private final Thread shutdownHook = new Thread(this::kill, "diffusion-tck child cleanup");

  private final AtomicReference<Process> process = new AtomicReference<>();
  private BufferedWriter in;
  private BlockingQueue<Object> lines;
  private Thread stderrReader;
  private D declaration;
  private String broken;
  private long nextId = 1;
  private int starts;

  /**
   * @param commandLine run by {@code /bin/sh -c}, so that quoting and environment assignments work
   *     as in a terminal
   * @param directory the child's working directory (null: the kit's)
   * @param timeout how long one request (and the handshake) may take
   * @param declare reads the handshake's result; a {@link WireException} fails the handshake with
   *     its message
   */
  public ChildProcess(String commandLine, Path directory, Duration timeout,
      Function<JsonNode, D> declare) {
    this.command = List.of("/bin/sh", "-c", commandLine);
    this.directory = directory;
    this.timeout = timeout;
    this.declare = declare;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The child's declaration, from the handshake (started on first use). A child whose handshake
   * fails raises an {@link ImplementationError} with the reason.
   */
  public synchronized D declaration() {
    if (declaration == null) {
      ensureRunning();
    }
    return declaration;
  }

  /** How many times a child was started (the first start and each restart). */
  public synchronized int starts() {
    return starts;
  }

  /** The process of the running child, if any (for tests that check the tree is gone). */
  public ProcessHandle handle() {
    Process p = process.get();
    return p == null ? null : p.toHandle();
  }

  /** After a crash or hang, the next request starts a fresh child instead of failing at once. */
  public synchronized void allowRestart() {
    broken = null;
  }

  /**
   * Sends one request and reads its result.
   *
   * @param operation the operation's name, for messages
   * @param request the request line for an id, without the newline
   * @param reader reads the result; its {@link WireException} becomes an {@link
   *     ImplementationError} (the child goes on)
   * @throws Rejected if the child answered with an error
   * @throws ImplementationError if the child failed, or answered NaN or something unreadable
   */
  public <R> R call(String operation, LongFunction<String> request, Reader<R> reader) {
    return call(operation, request, reader, null);
  }

  /**
   * Sends one request, answering the model callbacks the child makes before it answers (a loop
   * operation), and reads its result.
   *
   * @param callbacks answers each callback; null for an operation that makes none (a callback is
   *     then a failure of the child)
   */
  public synchronized <R> R call(String operation, LongFunction<String> request,
      Reader<R> reader, Callbacks callbacks) {
    if (broken != null) {
      throw new ImplementationError(broken);
    }
    ensureRunning();
    long id = nextId++;
    String what = operation + " (request " + id + ")";
    JsonNode answer = exchange(request.apply(id), id, what, callbacks);
    JsonNode error = answer.get("error");
    if (error != null) {
      throw new Rejected(error.isTextual() ? error.asText() : error.toString());
    }
    JsonNode result = answer.get("result");
    if (result == null) {
      throw fail(what + ": the answer has neither \"result\" nor \"error\": "
          + Wire.cut(answer.toString()), false);
    }
    String nan = Wire.firstNaN(result, "result");
    if (nan != null) {
      throw new ImplementationError(what + ": NaN in the answer at " + nan);
    }
    try {
      return reader.read(result, what);
    } catch (WireException e) {
      throw new ImplementationError(e.getMessage(), e);
    }
  }

  /** Ends the child and its process tree. */
  @Override
  public synchronized void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs kill() itself
    }
  }

  private void ensureRunning() {
    Process running = process.get();
    if (running != null && running.isAlive()) {
      return;
    }
    kill();
    start();
    JsonNode hello = exchange(Wire.hello(), 0, "the handshake", null);
    JsonNode result = hello.get("result");
    if (result == null) {
      JsonNode error = hello.get("error");
      throw fail("the handshake was refused: " + (error == null ? Wire.cut(hello.toString())
          : error.asText()), true);
    }
    D d;
    try {
      d = declare.apply(result);
    } catch (WireException e) {
      throw fail(e.getMessage(), true);
    }
    if (declaration != null && !declaration.equals(d)) {
      throw fail("the restarted child declared something else than the first one: " + d, true);
    }
    declaration = d;
  }

  private void start() {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw fail("cannot start " + command + ": " + e.getMessage(), true);
    }
    process.set(p);
    starts++;
    stderr.clear();
    in = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
        1 << 16);
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    lines = queue;
    Thread out = new Thread(() -> readLines(p, queue), "diffusion-tck child stdout");
    out.setDaemon(true);
    out.start();
    stderrReader = new Thread(() -> stderr.drain(p.getErrorStream()),
        "diffusion-tck child stderr");
    stderrReader.setDaemon(true);
    stderrReader.start();
  }

  private static void readLines(Process p, BlockingQueue<Object> queue) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        queue.add(line);
      }
    } catch (IOException | UncheckedIOException e) {
      // the stream closed under us: the child is gone
    }
    queue.add(EOF);
  }

  /**
   * Writes one line and waits for the answer with the same id, answering the callbacks that come
   * first.
   */
  private JsonNode exchange(String line, long id, String what, Callbacks callbacks) {
    write(line, what);
    while (true) {
      JsonNode answer = next(id, what);
      if (!answer.has(Wire.CALLBACK)) {
        return answer;
      }
      if (callbacks == null) {
        throw fail(what + ": the child made a callback, but only loop operations may: "
            + Wire.cut(answer.toString()), true);
      }
      write(callbacks.answer(answer, id), what + ", answering a callback");
    }
  }

  private void write(String line, String what) {
    try {
      in.write(line);
      in.write('\n');
      in.flush();
    } catch (IOException e) {
      throw fail(what + ": the child does not read its input (" + e.getMessage() + ")"
          + exitStatus(), true);
    }
  }

  /** The next line of the child, which must be a JSON object with the id {@code id}. */
  private JsonNode next(long id, String what) {
    Object got;
    try {
      got = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(what + ": interrupted", true);
    }
    if (got == null) {
      throw fail(what + ": no answer within " + timeout.toMillis() / 1000.0 + " s", true);
    }
    if (got == EOF) {
      throw fail(what + ": the child closed its output without answering" + exitStatus(), true);
    }
    JsonNode answer;
    try {
      answer = Wire.parse((String) got);
    } catch (WireException e) {
      throw fail(what + ": the child wrote a line that is not a JSON object: "
          + Wire.cut((String) got), true);
    }
    JsonNode answerId = answer.get("id");
    if (answerId == null || !answerId.canConvertToLong() || answerId.asLong() != id) {
      throw fail(what + ": expected the answer to id " + id + ", got id "
          + (answerId == null ? "none" : answerId.toString()), true);
    }
    return answer;
  }

  /**
   * An {@link ImplementationError} for {@code reason} with the child's last stderr lines; if {@code
   * fatal}, the child is killed and later requests fail with the same reason until {@link
   * #allowRestart()}.
   */
  private ImplementationError fail(String reason, boolean fatal) {
    Process p = process.get();
    if (p != null && !p.isAlive() && stderrReader != null) {
      try {
        stderrReader.join(1000); // an exited child's last words are still in the pipe
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String tail = stderr.tail();
    String message = reason + (tail.isEmpty() ? "" : "; its stderr ends with: " + tail);
    if (fatal) {
      kill();
      broken = message;
    }
    return new ImplementationError(message);
  }

  private String exitStatus() {
    Process p = process.get();
    try {
      if (p != null && p.waitFor(1, TimeUnit.SECONDS)) {
        return " (exit status " + p.exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /**
   * Closes the child's input, gives it a moment to exit, then kills what is left of its tree. Not
   * synchronized: the shutdown hook may run it while a request waits.
   */
  private void kill() {
    Process p = process.getAndSet(null);
    if (p == null) {
      return;
    }
    List<ProcessHandle> tree = p.descendants().toList();
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // already closed: the child is gone
    }
    try {
      p.waitFor(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : tree) {
      h.destroyForcibly();
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
