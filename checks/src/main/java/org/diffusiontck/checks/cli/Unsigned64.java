package org.diffusiontck.checks.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An unsigned 64-bit integer on the command line, decimal (0 to 18446744073709551615) or
 * hexadecimal with {@code 0x}, held in a {@code long} as the same 64 bits. The key words of
 * portable noise are unsigned, as numpy's {@code Philox(key=…)} takes them.
 */
final class Unsigned64 implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    boolean hex = value.startsWith("0x") || value.startsWith("0X");
    try {
      return Long.parseUnsignedLong(hex ? value.substring(2) : value, hex ? 16 : 10);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "expected an unsigned 64-bit integer (0 to 18446744073709551615, or 0x0 to"
              + " 0xffffffffffffffff), got '" + value + "'");
    }
  }
}
