package org.diffusiontck.checks.child;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
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
 * <p>The handshake waits at most the handshake timeout, each request at most the request timeout
 * ({@link ChildLimits}). A child that exits (noticed at once, even when a process it started still
 * holds its output open), hangs, writes a line that is not an answer or one longer than the limit,
 * is killed with its whole process tree ({@link ProcessTree}), and the request fails with an
 * {@link ImplementationError} carrying the reason and the last lines of the child's stderr. Further
 * requests fail at once with the same reason until {@link #allowRestart()}, after which the next
 * request starts a fresh child (which must declare the same). An {@code "error"} answer is a
 * refusal ({@link Rejected}), not a failure of the child. {@link #close()} always ends the tree.
 *
 * @param <D> what the handshake declares
 */
public final class ChildProcess<D> implements AutoCloseable {
  private static final Object EOF = new Object();
  /** Queued when the child process itself has exited. */
  private static final Object EXITED = new Object();

  /** Queued instead of a line longer than the limit; nothing more is read. */
  private record TooLong(long limit) {}

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

  /**
   * How long the child's output may stay open after the child itself exited: lines it wrote before
   * are read meanwhile. A safety net only: the tree is killed first, which ends the output at once.
   */
  private static final Duration EXITED_GRACE = Duration.ofSeconds(30);

  /** How long a child whose output ended may take to exit before it counts as alive. */
  private static final Duration EOF_TO_EXIT = Duration.ofSeconds(3);

  private final List<String> command;
  private final Path directory;
  private final ChildLimits limits;
  private final Function<JsonNode, D> declare;
  private final StderrTail stderr = new StderrTail();
  private final Thread shutdownHook = new Thread(this::kill, "diffusion-tck child cleanup");

  private final AtomicReference<ProcessTree> process = new AtomicReference<>();
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
   * @param limits the handshake and request timeouts and the longest answer line
   * @param declare reads the handshake's result; a {@link WireException} fails the handshake with
   *     its message
   */
  public ChildProcess(String commandLine, Path directory, ChildLimits limits,
      Function<JsonNode, D> declare) {
    this.command = List.of("/bin/sh", "-c", commandLine);
    this.directory = directory;
    this.limits = limits;
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
    ProcessTree p = process.get();
    return p == null ? null : p.process().toHandle();
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
   * operation), and reads its result. Each line the child writes (a callback or the answer) is
   * awaited at most the request timeout.
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
    JsonNode answer = exchange(request.apply(id), id, what, limits.request(), callbacks);
    JsonNode error = answer.get("error");
    if (error != null && answer.has("result")) {
      throw fail(what + ": the answer has both \"result\" and \"error\": "
          + Wire.cut(answer.toString()), false);
    }
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
    ProcessTree running = process.get();
    if (running != null && running.process().isAlive()) {
      return;
    }
    kill();
    start();
    JsonNode hello = exchange(Wire.hello(), 0, "the handshake", limits.handshake(), null);
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
    ProcessTree tree;
    try {
      tree = ProcessTree.start(command, directory);
    } catch (IOException e) {
      throw fail("cannot start " + command + ": " + e.getMessage(), true);
    }
    Process p = tree.process();
    process.set(tree);
    starts++;
    stderr.clear();
    in = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
        1 << 16);
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    lines = queue;
    p.onExit().thenRun(() -> queue.add(EXITED));
    long limit = limits.maxLineBytes();
    Thread out = new Thread(() -> readLines(p.getInputStream(), limit, queue),
        "diffusion-tck child stdout");
    out.setDaemon(true);
    out.start();
    stderrReader = new Thread(() -> stderr.drain(p.getErrorStream()),
        "diffusion-tck child stderr");
    stderrReader.setDaemon(true);
    stderrReader.start();
  }

  /**
   * Queues each line of {@code out} (UTF-8, without its "\n" or "\r\n"), then {@code EOF}; a line
   * longer than {@code limit} bytes is queued as {@link TooLong} and ends the reading.
   */
  private static void readLines(InputStream out, long limit, BlockingQueue<Object> queue) {
    byte[] buf = new byte[1 << 16];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try (out) {
      for (int n = out.read(buf); n >= 0; n = out.read(buf)) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line.write(buf, from, i - from);
            from = i + 1;
            if (line.size() > limit) {
              queue.add(new TooLong(limit));
              return;
            }
            byte[] bytes = line.toByteArray();
            int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
                : bytes.length;
            queue.add(new String(bytes, 0, end, StandardCharsets.UTF_8));
            line.reset();
          }
        }
        line.write(buf, from, n - from);
        if (line.size() > limit) {
          queue.add(new TooLong(limit));
          return;
        }
      }
    } catch (IOException e) {
      // the stream closed under us: the child is gone
    }
    queue.add(EOF);
  }

  /**
   * Writes one line and waits for the answer with the same id, answering the callbacks that come
   * first; each line is awaited at most {@code timeout}.
   */
  private JsonNode exchange(String line, long id, String what, Duration timeout,
      Callbacks callbacks) {
    write(line, what);
    while (true) {
      JsonNode answer = answer(id, what, timeout);
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

  /**
   * The next line of the child, which must be a JSON object with the id {@code id}, within
   * {@code timeout}.
   */
  private JsonNode answer(long id, String what, Duration timeout) {
    Object got = next(what, timeout);
    if (got instanceof TooLong tooLong) {
      throw fail(what + ": answer line longer than " + tooLong.limit() + " bytes (the limit of"
          + " spec/PROTOCOL.md)", true);
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
   * The next line (or {@link TooLong}) the child wrote, waiting at most {@code timeout}; the child's
   * exit is noticed at once: what it wrote before is still read, then the request fails.
   */
  private Object next(String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean exited = false;
    while (true) {
      Object got;
      try {
        got = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail(what + ": interrupted", true);
      }
      if (got == EXITED) {
        // what it left running may hold the output open: end it, so the output reaches its end
        exited = true;
        killTree();
        deadline = Math.min(deadline, System.nanoTime() + EXITED_GRACE.toNanos());
        continue;
      }
      if (got == null && !exited) {
        throw fail(what + ": no answer within " + timeout.toMillis() / 1000.0 + " s", true);
      }
      if (got == null || got == EOF) {
        // the output ends when the child exits, or when it closes it and lives on
        String status = exitStatus(exited ? Duration.ZERO : EOF_TO_EXIT);
        throw fail(what + (status.isEmpty() ? ": the child closed its output without answering"
            : ": the child exited without answering" + status), true);
      }
      return got;
    }
  }

  /**
   * An {@link ImplementationError} for {@code reason} with the child's last stderr lines; if {@code
   * fatal}, the child is killed and later requests fail with the same reason until {@link
   * #allowRestart()}.
   */
  private ImplementationError fail(String reason, boolean fatal) {
    ProcessTree tree = process.get();
    Process p = tree == null ? null : tree.process();
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
    return exitStatus(Duration.ofSeconds(1));
  }

  /** " (exit status n)" if the child exits within {@code wait}, else "". */
  private String exitStatus(Duration wait) {
    ProcessTree tree = process.get();
    try {
      if (tree != null && tree.process().waitFor(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        return " (exit status " + tree.process().exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /** Kills the running child's tree, keeping it as the current process (for its exit status). */
  private void killTree() {
    ProcessTree tree = process.get();
    if (tree != null) {
      tree.kill();
    }
  }

  /**
   * Closes the child's input, gives it a moment to exit, then kills what is left of its tree. Not
   * synchronized: the shutdown hook may run it while a request waits.
   */
  private void kill() {
    ProcessTree tree = process.getAndSet(null);
    if (tree == null) {
      return;
    }
    Process p = tree.process();
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
    tree.kill();
  }
}
