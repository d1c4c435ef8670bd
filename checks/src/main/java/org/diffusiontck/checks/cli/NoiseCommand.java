package org.diffusiontck.checks.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.diffusiontck.checks.io.Json;
import org.diffusiontck.checks.io.Npy;
import org.diffusiontck.checks.io.WholeFile;
import org.diffusiontck.reference.noise.PortableNoise;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tck noise}: a portable standard-normal noise tensor, reproducible in any language. */
@Command(
    name = "noise",
    sortOptions = false,
    description = {
      "Print a portable standard-normal noise tensor.",
      "Philox4x64-10 keyed by (seed, stream) from counter 0, uniforms ((w >>> 11) + 1) · 2^-53,"
          + " Box–Muller pairs, filled in C (row-major) order (spec/NOISE.md).",
      "Values are written with Java's Double.toString, which reads back to the same double.",
      ""
    })
final class NoiseCommand implements Callable<Integer> {
  enum Format {
    TEXT,
    JSON,
    NPY
  }

  @Spec private CommandSpec spec;

  @Option(
      names = "--seed",
      required = true,
      paramLabel = "S",
      converter = Word64.class,
      description = "The first key word, an unsigned 64-bit integer (decimal or 0x-hexadecimal).")
  private long seed;

  @Option(
      names = "--stream",
      defaultValue = "0",
      paramLabel = "K",
      converter = Word64.class,
      description = "The second key word (default 0), as --seed.")
  private long stream;

  @Option(
      names = "--shape",
      required = true,
      paramLabel = "SHAPE",
      converter = Shape.Converter.class,
      description = "The tensor's shape, comma-separated positive dimensions, e.g. 2,3,4,4.")
  private Shape shape;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text (default; a # comment line, then one value per line in C order, as"
          + " numpy.loadtxt reads), json (seed, stream, shape and the flat C-order data) or npy"
          + " (float64 .npy, needs --out).")
  private Format format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  private Path out;

  @Override
  public Integer call() throws IOException {
    if (format == Format.NPY && out == null) {
      throw new ParameterException(
          spec.commandLine(), "--format npy writes binary: give --out FILE");
    }
    double n = 1;
    for (long d : shape.dims()) {
      n *= d;
    }
    // the normals, their C-order copy, the doubles written: three copies at once
    MemoryBudget.require(3 * n, "--shape " + java.util.Arrays.toString(shape.dims()));
    INDArray noise = new PortableNoise(seed, stream).normal(shape.dims());
    double[] data = Nd4j.toFlattened('c', noise).toDoubleVector();
    if (format == Format.NPY) {
      WholeFile.write(out, file -> Npy.write(file, new Npy.Array(shape.dims(), data)));
    } else if (out == null) {
      write(data, spec.commandLine().getOut());
    } else {
      WholeFile.writeText(out, text -> write(data, text));
    }
    return ExitCode.OK;
  }

  private void write(double[] data, Writer writer) throws IOException {
    if (format == Format.JSON) {
      Json.write(writer, json(data));
      return;
    }
    PrintWriter text = new PrintWriter(writer);
    text.print(
        "# portable noise: seed " + Long.toUnsignedString(seed) + ", stream "
            + Long.toUnsignedString(stream) + ", shape " + shapeText() + ", C order\n");
    StringBuilder values = new StringBuilder();
    for (double v : data) {
      values.append(v).append('\n');
    }
    text.print(values);
    text.flush();
  }

  private ObjectNode json(double[] data) {
    ObjectNode root = Json.object();
    root.put("seed", new BigInteger(Long.toUnsignedString(seed)));
    root.put("stream", new BigInteger(Long.toUnsignedString(stream)));
    Arrays.stream(shape.dims()).forEach(root.putArray("shape")::add);
    root.put("order", "C");
    root.set("data", Json.array(data));
    return root;
  }

  private String shapeText() {
    return Arrays.stream(shape.dims()).mapToObj(Long::toString).collect(Collectors.joining(","));
  }
}
