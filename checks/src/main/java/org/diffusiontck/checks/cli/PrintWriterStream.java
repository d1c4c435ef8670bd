package org.diffusiontck.checks.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PrintStream} onto a command's {@link PrintWriter}, for the reports that print to
 * streams: bytes are passed on as UTF-8 text at each flush (the progress lines flush as they go).
 */
final class PrintWriterStream extends OutputStream {
  private final PrintWriter writer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private PrintWriterStream(PrintWriter writer) {
    this.writer = writer;
  }

  static PrintStream of(PrintWriter writer) {
    return new PrintStream(new PrintWriterStream(writer), true, StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) {
    pending.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  @Override
  public void flush() {
    writer.write(pending.toString(StandardCharsets.UTF_8));
    pending.reset();
    writer.flush();
  }
}
