package org.diffusiontck.checks.cli;

/**
 * A size the JVM cannot hold is refused before any work, with the figures, instead of ending in
 * an OutOfMemoryError after minutes.
 */
final class MemoryBudget {
  private MemoryBudget() {}

  /**
   * @param doubles how many doubles the command holds at once (all copies counted)
   * @param what the option and value that ask for it, e.g. "--shape 1000000000"
   * @throws IllegalArgumentException if they exceed the JVM's maximum heap
   */
  static void require(double doubles, String what) {
    double bytes = doubles * Double.BYTES;
    long max = Runtime.getRuntime().maxMemory();
    if (bytes > max) {
      throw new IllegalArgumentException(what + " needs about " + gib(bytes) + " GiB of memory,"
          + " more than the " + gib(max) + " GiB this JVM may use (raise it with"
          + " TCK_JAVA_OPTS=-Xmx…)");
    }
  }

  private static String gib(double bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1L << 30));
  }
}
