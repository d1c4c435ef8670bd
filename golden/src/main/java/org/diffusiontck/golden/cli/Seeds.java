package org.diffusiontck.golden.cli;

import java.util.ArrayList;
import java.util.List;

/** A list of seeds on the command line: {@code 0,1,5}, a range {@code 0-7}, or both. */
final class Seeds {
  private Seeds() {}

  static long[] parse(String text) {
    List<Long> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      try {
        int dash = p.indexOf('-', 1);
        if (dash < 0) {
          out.add(Long.parseUnsignedLong(p));
          continue;
        }
        long a = Long.parseLong(p.substring(0, dash));
        long b = Long.parseLong(p.substring(dash + 1));
        if (a < 0 || b < a || b - a > 10_000) {
          throw new NumberFormatException();
        }
        for (long s = a; s <= b; s++) {
          out.add(s);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seeds must be unsigned integers or ranges a-b"
            + " (a ≤ b), comma-separated, got '" + text + "'");
      }
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("--seeds must not repeat a seed, got '" + text + "'");
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
