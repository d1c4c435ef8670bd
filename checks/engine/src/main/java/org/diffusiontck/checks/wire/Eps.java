package org.diffusiontck.checks.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.diffusiontck.checks.impl.Tensor;

/**
 * The operation {@value #OP} of a model process ({@code spec/PROTOCOL.md}, section 8): the model's
 * output at (x_t, t), the papers' t per batch element.
 */
public final class Eps {
  /** The operation's name. */
  public static final String OP = "eps";

  private Eps() {}

  /** The request line {@code {"id": id, "op": "eps", "xt": tensor, "t": [...]}}. */
  public static String request(long id, Tensor xt, int[] t) {
    ObjectNode node = Wire.mapper().createObjectNode();
    node.put("id", id);
    node.put("op", OP);
    node.set("xt", Wire.tree(xt));
    node.set("t", Wire.tree(t));
    return Wire.write(node);
  }

  /**
   * The result: a tensor of {@code shape} with finite values.
   *
   * @param what the request, for messages
   * @throws WireException if it is not a tensor, has another shape or holds an infinity
   */
  public static Tensor result(JsonNode result, long[] shape, String what) {
    Tensor out = Wire.bind(result, Wire.mapper().constructType(Tensor.class),
        "the answer to " + what);
    if (!Arrays.equals(out.shape(), shape)) {
      throw new WireException("the answer to " + what + ": expected shape "
          + Arrays.toString(shape) + " (x_t's), got " + Arrays.toString(out.shape()));
    }
    double[] d = out.data();
    for (int i = 0; i < d.length; i++) {
      if (!Double.isFinite(d[i])) {
        throw new WireException("the answer to " + what + ": result.data[" + i + "] is " + d[i]
            + "; a model's output must be finite");
      }
    }
    return out;
  }
}
