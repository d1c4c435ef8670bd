package org.diffusiontck.checks.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A 64-bit word on the command line, as a seed or a stream: unsigned decimal (0 to
 * 18446744073709551615), signed decimal (-9223372036854775808 to -1, the same 64 bits as 2^64
 * plus it), or hexadecimal with {@code 0x}; held in a {@code long} as the same 64 bits. The key
 * words of portable noise are unsigned, as numpy's {@code Philox(key=…)} takes them; a rule
 * seed may be written either way. Every command taking a seed reads it so.
 */
final class Word64 implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    boolean hex = value.startsWith("0x") || value.startsWith("0X");
    try {
      return hex ? Long.parseUnsignedLong(value.substring(2), 16)
          : value.startsWith("-") ? Long.parseLong(value) : Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "expected a 64-bit integer (0 to 18446744073709551615, -9223372036854775808 to -1,"
              + " or 0x0 to 0xffffffffffffffff), got '" + value + "'");
    }
  }
}
