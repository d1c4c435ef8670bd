package org.diffusiontck.checks.vectors;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.diffusiontck.checks.impl.Conventions;

/**
 * One component of {@link Conventions} (an enum-valued choice where codebases disagree), read and
 * replaced generically, so that the vectors follow the record as conventions are added.
 */
record ConventionField(RecordComponent component) {
  /** Every field of {@link Conventions}, in declaration order. */
  static List<ConventionField> all() {
    List<ConventionField> out = new ArrayList<>();
    for (RecordComponent c : Conventions.class.getRecordComponents()) {
      out.add(new ConventionField(c));
    }
    return out;
  }

  /** The field's name as in JSON, e.g. {@code t1LogVariance}. */
  String name() {
    return component.getName();
  }

  /** Every option of the field. */
  List<Enum<?>> options() {
    return Arrays.asList((Enum<?>[]) component.getType().getEnumConstants());
  }

  Enum<?> get(Conventions c) {
    try {
      return (Enum<?>) component.getAccessor().invoke(c);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code c} with this field set to {@code value}. */
  Conventions with(Conventions c, Enum<?> value) {
    RecordComponent[] all = Conventions.class.getRecordComponents();
    Object[] args = new Object[all.length];
    Class<?>[] types = new Class<?>[all.length];
    for (int i = 0; i < all.length; i++) {
      types[i] = all[i].getType();
      args[i] = all[i].getName().equals(name()) ? value : new ConventionField(all[i]).get(c);
    }
    try {
      Constructor<Conventions> k = Conventions.class.getDeclaredConstructor(types);
      return k.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The option named {@code label} in any case. */
  Enum<?> option(String label) {
    for (Enum<?> e : options()) {
      if (e.name().equalsIgnoreCase(label)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "conventions." + name() + " has no option " + label + "; options: " + options());
  }

  /** The option's JSON label (lower case). */
  static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
