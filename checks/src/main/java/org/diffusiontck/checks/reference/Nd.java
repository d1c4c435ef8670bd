package org.diffusiontck.checks.reference;

import org.diffusiontck.checks.impl.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between the boundary's {@link Tensor} and the reference's ND4J arrays. */
public final class Nd {
  private Nd() {}

  public static INDArray of(Tensor t) {
    return Nd4j.create(t.data().clone(), t.shape().clone(), 'c').castTo(DataType.DOUBLE);
  }

  public static Tensor of(INDArray a) {
    INDArray c = a.dup('c');
    return new Tensor(c.shape(), c.data().asDouble());
  }
}
