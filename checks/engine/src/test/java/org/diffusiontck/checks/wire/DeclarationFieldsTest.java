package org.diffusiontck.checks.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A declaration missing a field, or holding a value the protocol does not name, is refused with a
 * {@link WireException} naming the field (never a NullPointerException later, never accepted).
 */
class DeclarationFieldsTest {
  private static final Declaration D = new Declaration("mine", Dtype.FLOAT64,
      EnumSet.of(Operation.NOISE), EnumSet.of(ScheduleKind.LINEAR), false,
      EnumSet.of(Prediction.EPSILON), EnumSet.of(VarianceChoice.FIXED_SMALL),
      EnumSet.of(Spacing.LEADING), EnumSet.of(Clipping.Kind.CLIP), Conventions.defaults());

  private static ObjectNode json() {
    return (ObjectNode) Wire.tree(D);
  }

  @Test
  void aCompleteDeclarationIsRead() {
    assertThat(Wire.declaration(json())).isEqualTo(D);
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "dtype", "operations", "schedules", "zeroTerminalSnr",
      "predictions", "varianceChoices", "spacings", "clippings", "conventions"})
  void aMissingFieldIsNamed(String field) {
    ObjectNode d = json();
    d.remove(field);
    assertThatThrownBy(() -> Wire.declaration(d)).isInstanceOf(WireException.class)
        .hasMessageContaining("the declaration has no \"" + field + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"linearEndpoints", "t1LogVariance", "ddimEpsilon", "finalAlphaBar",
      "previousTimestep", "inversionModelTime", "decoderCdf"})
  void aMissingConventionIsNamed(String key) {
    ObjectNode d = json();
    ((ObjectNode) d.get("conventions")).remove(key);
    assertThatThrownBy(() -> Wire.declaration(d)).isInstanceOf(WireException.class)
        .hasMessageContaining("the declaration has no \"conventions." + key + "\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "dtype           | \"float128\"  | \"dtype\" holds \"float128\", which is not one of [float64, float32]",
    "dtype           | 64            | \"dtype\" must be one of [float64, float32], got 64",
    "name            | \"  \"        | \"name\" is empty",
    "name            | null          | the declaration has no \"name\"",
    "operations      | []            | \"operations\" is empty",
    "operations      | [\"sample\"]  | \"operations\" holds \"sample\", which is not one of",
    "zeroTerminalSnr | \"yes\"       | \"zeroTerminalSnr\" must be true or false, got \"yes\"",
    "spacings        | \"leading\"   | \"spacings\" must be a list of [linspace, leading",
    "conventions     | []            | \"conventions\" must be an object, got []",
  })
  void anInvalidFieldIsNamedWithItsValue(String field, String value, String message) {
    ObjectNode d = json();
    d.set(field, Wire.parse("{\"v\": " + value + "}").get("v"));
    assertThatThrownBy(() -> Wire.declaration(d)).isInstanceOf(WireException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anInvalidConventionIsNamedWithItsValue() {
    ObjectNode d = json();
    ((ObjectNode) d.get("conventions")).put("ddimEpsilon", "guess");
    assertThatThrownBy(() -> Wire.declaration(d)).isInstanceOf(WireException.class)
        .hasMessageContaining("\"conventions.ddimEpsilon\" holds \"guess\", which is not one of");
  }
}
