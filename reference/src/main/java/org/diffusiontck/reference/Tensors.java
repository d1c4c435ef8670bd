package org.diffusiontck.reference;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J set-up: the reference computes in double precision throughout. */
public final class Tensors {
  private Tensors() {}

  /** Makes DOUBLE ND4J's default data type; entry points (CLI, tests, benchmarks) call it once. */
  public static void useDoubles() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }
}
