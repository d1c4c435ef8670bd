package org.diffusiontck.checks.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A tensor shape on the command line, comma-separated integers such as {@code 2,3,4,4}. Only the
 * syntax is checked here; whether the dimensions are valid is for the reference to say.
 */
record Shape(long[] dims) {
  /** Parses {@code 2,3,4,4}. */
  static final class Converter implements ITypeConverter<Shape> {
    @Override
    public Shape convert(String value) {
      String[] parts = value.split(",", -1);
      long[] dims = new long[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          dims[i] = Long.parseLong(parts[i].strip());
        } catch (NumberFormatException e) {
          throw new TypeConversionException(
              "expected comma-separated integers such as 2,3,4,4, got '" + value + "'");
        }
      }
      return new Shape(dims);
    }
  }
}
