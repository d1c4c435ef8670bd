package org.diffusiontck.checks.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * Enum values on the command line are written in kebab case: {@code SCALED_BY_1000_OVER_T} is
 * {@code scaled-by-1000-over-t}. {@link #registerAll} installs the conversion for every enum that
 * an option or parameter of any command uses, so a new subcommand gets it without registering
 * anything.
 */
final class KebabCase {
  private KebabCase() {}

  /** The kebab-case name of an enum constant. */
  static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Registers the kebab-case converter for each enum type used by {@code root} or below it. */
  static void registerAll(CommandLine root) {
    enumTypes(root).distinct().forEach(type -> register(root, type));
  }

  private static Stream<Class<?>> enumTypes(CommandLine command) {
    Stream<Class<?>> own =
        command.getCommandSpec().args().stream()
            .flatMap(KebabCase::types)
            .filter(Class::isEnum);
    return Stream.concat(
        own, command.getSubcommands().values().stream().flatMap(KebabCase::enumTypes));
  }

  private static Stream<Class<?>> types(ArgSpec arg) {
    return Stream.concat(Stream.of(arg.type()), Arrays.stream(arg.auxiliaryTypes()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register(CommandLine root, Class<?> type) {
    root.registerConverter((Class) type, converter((Class<? extends Enum>) type));
  }

  private static <E extends Enum<E>> ITypeConverter<E> converter(Class<E> type) {
    return value -> {
      for (E constant : type.getEnumConstants()) {
        if (of(constant).equals(value)) {
          return constant;
        }
      }
      throw new TypeConversionException(
          "expected one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(KebabCase::of)
                  .collect(Collectors.joining(", "))
              + ", got '" + value + "'");
    };
  }
}
