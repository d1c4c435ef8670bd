package org.diffusiontck.checks.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.List;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wire of a model process (spec/PROTOCOL.md, section 8): its handshake, told apart from an
 * implementation's by the operation eps, and the eps request and result.
 */
class ModelDeclarationTest {
  private static final String MODEL = "{\"name\": \"unet\", \"dtype\": \"float32\", \"device\":"
      + " \"gpu\", \"operations\": [\"eps\"], \"prediction\": \"V\", \"shape\": [3, 32, 32]}";

  private static final Declaration IMPLEMENTATION = new Declaration("both", Dtype.FLOAT64,
      EnumSet.of(Operation.NOISE, Operation.DDIM_STEP), EnumSet.of(ScheduleKind.LINEAR), false,
      EnumSet.of(Prediction.EPSILON), EnumSet.of(VarianceChoice.FIXED_SMALL),
      EnumSet.of(Spacing.LINSPACE), EnumSet.of(Clipping.Kind.NONE), Conventions.defaults());

  @Test
  void aModelDeclaresWhatItPredictsItsShapeDtypeAndDevice() {
    ModelDeclaration m = ModelDeclaration.of(Wire.parse(MODEL));
    assertThat(m).isEqualTo(new ModelDeclaration("unet", "float32", "gpu", Prediction.V,
        List.of(3L, 32L, 32L)));
    assertThat(m.sampleShape()).containsExactly(3, 32, 32);
  }

  /** conform pointed at a model fails its handshake with a message that says what it is. */
  @Test
  void aModelOnlyIsNotAnImplementation() {
    assertThatThrownBy(() -> Wire.declaration(Wire.parse(MODEL)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("declares a model (the operation \"eps\" only), not an"
            + " implementation")
        .hasMessageContaining("--model \"process:<command line>\"");
  }

  /** A process that is both: each side reads its part, the other's fields are ignored. */
  @Test
  void aProcessMayBeAnImplementationAndAModel() {
    ObjectNode both = (ObjectNode) Wire.tree(IMPLEMENTATION);
    ((ArrayNode) both.get("operations")).add("eps");
    both.put("device", "cpu").put("prediction", "epsilon");
    both.putArray("shape").add(1).add(8).add(8);
    assertThat(Wire.declaration(both)).isEqualTo(IMPLEMENTATION);
    assertThat(ModelDeclaration.of(both)).isEqualTo(new ModelDeclaration("both", "float64",
        "cpu", Prediction.EPSILON, List.of(1L, 8L, 8L)));
    // an implementation alone is not a model
    assertThatThrownBy(() -> ModelDeclaration.of(Wire.tree(IMPLEMENTATION)))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("does not declare the operation \"eps\", so it is not a model");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "\"prediction\": \"V\"           | \"prediction\": \"score\"    | needs \"prediction\", one of [epsilon, x0, v], got \"score\"",
    "\"dtype\": \"float32\"          | \"dtype\": \"bfloat16\"      | needs \"dtype\", one of [float64, float32, float16]",
    "\"device\": \"gpu\"             | \"device\": \"tpu\"          | needs \"device\", one of [cpu, gpu]",
    "\"shape\": [3, 32, 32]          | \"shape\": [3, 0, 32]        | needs \"shape\", the shape of one sample",
    "\"shape\": [3, 32, 32]          | \"shape\": []                | needs \"shape\", the shape of one sample",
    "\"name\": \"unet\",             | ''                           | needs a \"name\" string"
  })
  void aBadModelDeclarationSaysWhichField(String field, String replacement, String message) {
    String json = MODEL.replace(field, replacement);
    assertThat(json).isNotEqualTo(MODEL);
    assertThatThrownBy(() -> ModelDeclaration.of(Wire.parse(json)))
        .isInstanceOf(WireException.class).hasMessageContaining(message);
  }

  /** The request as section 8 shows it, written out by hand; 0.1 is written to round-trip. */
  @Test
  void theEpsRequestCarriesXtAndThePapersT() {
    Tensor xt = new Tensor(new long[] {2, 1}, new double[] {0.1, -2.5});
    assertThat(Eps.request(7, xt, new int[] {1, 1000})).isEqualTo(
        "{\"id\":7,\"op\":\"eps\",\"xt\":{\"shape\":[2,1],\"data\":[0.1,-2.5]},\"t\":[1,1000]}");
  }

  @Test
  void theEpsResultHasXtsShapeAndFiniteValues() {
    long[] shape = {2, 1};
    Tensor ok = Eps.result(Wire.parse("{\"shape\": [2, 1], \"data\": [0.5, -1e-300]}"), shape,
        "eps (request 3)");
    assertThat(ok.data()).containsExactly(0.5, -1e-300);
    assertThatThrownBy(() -> Eps.result(Wire.parse("{\"shape\": [1, 2], \"data\": [0, 0]}"),
        shape, "eps (request 3)"))
        .isInstanceOf(WireException.class)
        .hasMessage("the answer to eps (request 3): expected shape [2, 1] (x_t's), got [1, 2]");
    assertThatThrownBy(() -> Eps.result(
        Wire.parse("{\"shape\": [2, 1], \"data\": [0, -Infinity]}"), shape, "eps (request 3)"))
        .isInstanceOf(WireException.class)
        .hasMessageContaining("result.data[1] is -Infinity; a model's output must be finite");
    assertThatThrownBy(() -> Eps.result(Wire.parse("{\"shape\": [2, 1], \"data\": [0]}"),
        shape, "eps (request 3)"))
        .isInstanceOf(WireException.class).hasMessageContaining("the answer to eps (request 3)")
        .hasMessageContaining("data must hold 2 values");
  }
}
