package org.diffusiontck.checks.wire;

import org.diffusiontck.checks.impl.LoopRequests;
import org.diffusiontck.checks.impl.LoopRequest;
import java.util.Arrays;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import org.diffusiontck.checks.impl.Clipping;
import org.diffusiontck.checks.impl.Conventions;
import org.diffusiontck.checks.impl.Declaration;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.impl.Operation;
import org.diffusiontck.checks.impl.PosteriorResult;
import org.diffusiontck.checks.impl.Prediction;
import org.diffusiontck.checks.impl.Quantity;
import org.diffusiontck.checks.impl.Request;
import org.diffusiontck.checks.impl.Requests;
import org.diffusiontck.checks.impl.ScheduleKind;
import org.diffusiontck.checks.impl.ScheduleSpec;
import org.diffusiontck.checks.impl.ScheduleTables;
import org.diffusiontck.checks.impl.Spacing;
import org.diffusiontck.checks.impl.StepPlan;
import org.diffusiontck.checks.impl.Tensor;
import org.diffusiontck.checks.impl.VarianceChoice;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The wire form of spec/PROTOCOL.md: what the kit writes, and what it accepts from a child. */
class WireTest {
  private static final ScheduleSpec LINEAR = ScheduleSpec.linear(10, 1e-4, 0.02);
  // 0.1 and 1/3 have no short binary form: they show that doubles are written to round-trip
  private static final Tensor X = new Tensor(new long[] {2, 1}, new double[] {0.1, 1.0 / 3});

  /** One request of every operation. */
  static List<Request<?>> everyRequest() {
    Tensor x = X;
    int[] t = {1, 10};
    int[] s = {0, 9};
    return List.of(
        new Requests.Schedule(LINEAR.withZeroTerminalSnr()),
        new Requests.ForwardSample(LINEAR, x, s, t, x),
        new Requests.Posterior(ScheduleSpec.betas(0.1, 0.2), x, x, t, s),
        new Requests.Convert(ScheduleSpec.cosine(10, 0.008, 0.999), Quantity.SCORE, Quantity.V, x,
            t, x),
        new Requests.Noise(-1L, Long.MIN_VALUE, new long[] {2, 3}),
        new Requests.ReverseLogVariance(LINEAR, VarianceChoice.LEARNED_RANGE, x, t, x),
        new Requests.Kl(x, x, x, x),
        new Requests.PriorTerm(LINEAR, x),
        new Requests.StepTerm(LINEAR, VarianceChoice.FIXED_SMALL, Prediction.V, x, x, t, x, null),
        new Requests.DecoderNll(x, x, x),
        new Requests.DdpmStep(LINEAR, Prediction.EPSILON, VarianceChoice.FIXED_LARGE,
            Clipping.dynamic(0.995, Double.POSITIVE_INFINITY), x, 10, 9, x, null, x),
        new Requests.DdimStep(LINEAR, Prediction.X0, 0.5, Clipping.CLIP, x, 10, 0, x, x),
        new Requests.DdimInvertStep(LINEAR, Prediction.EPSILON, Clipping.NONE, x, 0, 10, x),
        new Requests.Timesteps(1000, 50, Spacing.LEADING, 1, null));
  }

  @Test
  void everyOperationHasARecordAndEveryRequestRoundTrips() {
    List<Request<?>> all = everyRequest();
    assertThat(all).extracting(Request::operation).containsExactlyInAnyOrder(
        Arrays.stream(Operation.values()).filter(op -> !op.loop()).toArray(Operation[]::new));
    for (Request<?> r : all) {
      String line = Wire.request(42, r);
      assertThat(line).doesNotContain("\n").startsWith("{\"id\":42,\"op\":\""
          + r.operation().name().toLowerCase() + "\"");
      Request<?> back = Wire.readRequest(Wire.parse(line));
      // records compare arrays by identity: compare their wire forms instead
      assertThat(Wire.request(42, back)).isEqualTo(line);
      assertThat(back.getClass()).isEqualTo(r.getClass());
    }
  }

  @Test
  void everyLoopOperationHasARecordAndRoundTrips() {
    Tensor x = new Tensor(new long[] {1, 2}, new double[] {0.5, -1.0});
    List<LoopRequest> all = List.of(
        new LoopRequests.DdpmSample(LINEAR, Prediction.EPSILON, VarianceChoice.FIXED_SMALL,
            Clipping.NONE, 2, Spacing.LEADING, 1, null, x, List.of(x, x)),
        new LoopRequests.DdimSample(LINEAR, Prediction.V, 0.5, Clipping.CLIP, 2,
            Spacing.TRAILING, null, null, x, List.of(x, x)),
        new LoopRequests.DdimInvert(LINEAR, Prediction.X0, Clipping.NONE, 3, Spacing.SECTIONS,
            null, "3", x, 0));
    assertThat(all).extracting(LoopRequest::operation).containsExactlyInAnyOrder(
        Arrays.stream(Operation.values()).filter(Operation::loop).toArray(Operation[]::new));
    for (LoopRequest r : all) {
      String line = Wire.request(9, r);
      assertThat(line).startsWith("{\"id\":9,\"op\":\"" + r.operation().label() + "\"");
      LoopRequest back = Wire.readLoopRequest(Wire.parse(line));
      assertThat(Wire.request(9, back)).isEqualTo(line);
      assertThat(Wire.resultType(r.operation()).getRawClass()).isEqualTo(Tensor.class);
    }
    assertThatThrownBy(() -> Wire.readRequest(Wire.parse(Wire.request(9, all.get(0)))))
        .isInstanceOf(WireException.class).hasMessageContaining("is a loop operation");
  }

  @Test
  void theKitAnswersACallbackWithTheRequestsId() {
    Tensor out = new Tensor(new long[] {1, 1}, new double[] {0.25});
    assertThat(Wire.callbackResult(5, out))
        .isEqualTo("{\"id\":5,\"result\":{\"shape\":[1,1],\"data\":[0.25]}}");
    assertThat(Wire.callbackError(5, "t = 0")).isEqualTo("{\"id\":5,\"error\":\"t = 0\"}");
    assertThat(Wire.hello()).isEqualTo("{\"id\":0,\"op\":\"hello\",\"protocol\":2}");
  }

  @Test
  void enumsAreLowerCaseNamesAndInfinitiesAreBareTokens() {
    String line = Wire.request(7, new Requests.DdpmStep(LINEAR.withZeroTerminalSnr(),
        Prediction.EPSILON, VarianceChoice.FIXED_SMALL,
        Clipping.dynamic(0.995, Double.POSITIVE_INFINITY), X, 10, 9, X, null, X));
    assertThat(line).contains("\"kind\":\"linear\"", "\"prediction\":\"epsilon\"",
        "\"choice\":\"fixed_small\"", "\"kind\":\"dynamic\"", "\"maxValue\":Infinity",
        "\"zeroTerminalSnr\":true", "\"data\":[0.1,0.3333333333333333]")
        .doesNotContain("varianceOutput", "null");
  }

  @Test
  void whatPythonWritesIsRead() {
    // Python's json.dumps: lower-case enums, Infinity, integers for ints, 1e-05 style exponents
    JsonNode node = Wire.parse("{\"id\": 3, \"op\": \"ddim_step\", \"schedule\": {\"kind\":"
        + " \"SCALED_LINEAR\", \"steps\": 4, \"betaStart\": 0.00085, \"betaEnd\": 0.012,"
        + " \"zeroTerminalSnr\": false}, \"prediction\": \"V\", \"eta\": 1, \"clipping\":"
        + " {\"kind\": \"Clip\"}, \"xt\": {\"shape\": [1, 2], \"data\": [1e-05, -Infinity]},"
        + " \"t\": 4, \"s\": 0, \"modelOutput\": {\"shape\": [1, 2], \"data\": [0, 1]},"
        + " \"noise\": {\"shape\": [1, 2], \"data\": [0.5, 0.25]}}");
    Requests.DdimStep r = (Requests.DdimStep) Wire.readRequest(node);
    assertThat(r.schedule().kind()).isEqualTo(ScheduleKind.SCALED_LINEAR);
    assertThat(r.prediction()).isEqualTo(Prediction.V);
    assertThat(r.clipping()).isEqualTo(Clipping.CLIP);
    assertThat(r.eta()).isEqualTo(1.0);
    assertThat(r.xt().data()).containsExactly(1e-5, Double.NEGATIVE_INFINITY);
  }

  @Test
  void answersBindToTheOperationsResultTypes() {
    assertThat(Wire.resultType(Operation.SCHEDULE).getRawClass()).isEqualTo(ScheduleTables.class);
    assertThat(Wire.resultType(Operation.POSTERIOR).getRawClass())
        .isEqualTo(PosteriorResult.class);
    assertThat(Wire.resultType(Operation.KL).getRawClass()).isEqualTo(double[].class);
    assertThat(Wire.resultType(Operation.TIMESTEPS).getRawClass()).isEqualTo(StepPlan.class);
    ScheduleTables tables = Wire.bind(Wire.parse("{\"beta\": [0, 0.5], \"alphaBar\": [1, 0.5],"
        + " \"snr\": [Infinity, 1]}"), Wire.resultType(Operation.SCHEDULE), "the answer");
    assertThat(tables.snr()).containsExactly(Double.POSITIVE_INFINITY, 1.0);
  }

  @Test
  void malformedAnswersAreWireExceptionsNamingTheProblem() {
    assertThatThrownBy(() -> Wire.parse("this is not JSON")).isInstanceOf(WireException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> Wire.bind(Wire.parse("{\"shape\": [3], \"data\": [1, 2]}"),
        Wire.resultType(Operation.NOISE), "the answer")).isInstanceOf(WireException.class)
        .hasMessageContaining("data must hold 3 values");
    assertThatThrownBy(() -> Wire.readRequest(Wire.parse("{\"id\": 1, \"op\": \"sample\"}")))
        .isInstanceOf(WireException.class).hasMessageContaining("unknown operation \"sample\"");
  }

  @Test
  void nanIsFoundAnywhereInAnAnswer() {
    assertThat(Wire.firstNaN(Wire.parse("{\"mean\": {\"shape\": [2], \"data\": [1, NaN]},"
        + " \"variance\": [0.5]}"), "result")).isEqualTo("result.mean.data[1]");
    assertThat(Wire.firstNaN(Wire.parse("{\"x\": [1, Infinity]}"), "result")).isNull();
  }

  @Test
  void aDeclarationRoundTrips() {
    Declaration d = new Declaration("mine", Dtype.FLOAT32, EnumSet.of(Operation.NOISE),
        EnumSet.of(ScheduleKind.COSINE), true, EnumSet.of(Prediction.V),
        EnumSet.of(VarianceChoice.LEARNED_RANGE), EnumSet.of(Spacing.TRAILING),
        EnumSet.of(Clipping.Kind.DYNAMIC), Conventions.defaults());
    JsonNode json = Wire.tree(d);
    assertThat(json.get("dtype").asText()).isEqualTo("float32");
    assertThat(json.get("conventions").get("t1LogVariance").asText())
        .isEqualTo("clip_to_beta_tilde_2");
    assertThat(Wire.declaration(json)).isEqualTo(d);
  }

  private static JsonNode array(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A version-1 declaration's JSON, as a version-1 child sends it. */
  private static ObjectNode versionOne() {
    Declaration d = new Declaration("v1", Dtype.FLOAT64, EnumSet.of(Operation.CONVERT),
        EnumSet.of(ScheduleKind.LINEAR), false, EnumSet.of(Prediction.EPSILON),
        EnumSet.of(VarianceChoice.FIXED_SMALL), EnumSet.of(Spacing.LEADING),
        EnumSet.of(Clipping.Kind.CLIP), Conventions.defaults());
    ObjectNode json = (ObjectNode) Wire.tree(d);
    for (String v2 : List.of("protocol", "minSteps", "forwardSampleFrom",
        "clippingsPerOperation", "conversions")) {
      json.remove(v2);
    }
    return json;
  }

  @Test
  void aVersionOneDeclarationGetsTheVersionOneDefaults() {
    Declaration d = Wire.declaration(versionOne());
    assertThat(d.protocol()).isEqualTo(1);
    assertThat(d.minSteps()).isEqualTo(1);
    assertThat(d.samplesForwardFromAnyStep()).isTrue();
    assertThat(d.clippings(Operation.DDIM_INVERT_STEP)).containsExactly(Clipping.Kind.CLIP);
    for (Quantity from : Quantity.values()) {
      for (Quantity to : Quantity.values()) {
        assertThat(d.converts(from, to)).as(from + " -> " + to).isEqualTo(from != to);
      }
    }
    assertThat(Wire.hello()).contains("\"protocol\":2");
  }

  @Test
  void versionTwoFieldsAreRead() {
    ObjectNode json = versionOne();
    json.put("protocol", 2);
    json.put("minSteps", 2);
    json.put("forwardSampleFrom", "data");
    json.set("clippingsPerOperation", Wire.parse("{\"ddim_invert_step\": [\"none\"]}"));
    json.set("conversions", array("[[\"epsilon\", \"x0\"], [\"x0\", \"epsilon\"]]"));
    Declaration d = Wire.declaration(json);
    assertThat(d.protocol()).isEqualTo(2);
    assertThat(d.minSteps()).isEqualTo(2);
    assertThat(d.samplesForwardFromAnyStep()).isFalse();
    assertThat(d.clippings(Operation.DDIM_INVERT_STEP)).containsExactly(Clipping.Kind.NONE);
    assertThat(d.clippings(Operation.DDIM_STEP)).containsExactly(Clipping.Kind.CLIP);
    assertThat(d.converts(Quantity.EPSILON, Quantity.X0)).isTrue();
    assertThat(d.converts(Quantity.X0, Quantity.EPSILON)).isTrue();
    assertThat(d.converts(Quantity.EPSILON, Quantity.V)).isFalse();
    assertThat(d.converts(Quantity.SCORE, Quantity.X0)).isFalse();
    assertThat(Wire.declaration(Wire.tree(d))).isEqualTo(d);
  }

  @Test
  void invalidVersionTwoFieldsAreNamed() {
    ObjectNode json = versionOne();
    json.put("minSteps", 0);
    assertThatThrownBy(() -> Wire.declaration(json)).isInstanceOf(WireException.class)
        .hasMessageContaining("minSteps must be at least 1, got 0");
    ObjectNode op = versionOne();
    op.set("clippingsPerOperation", Wire.parse("{\"ddim_inversion\": [\"none\"]}"));
    assertThatThrownBy(() -> Wire.declaration(op)).isInstanceOf(WireException.class)
        .hasMessageContaining("ddim_inversion");
    ObjectNode pair = versionOne();
    pair.set("conversions", array("[[\"epsilon\", \"epsilon\"]]"));
    assertThatThrownBy(() -> Wire.declaration(pair)).isInstanceOf(WireException.class)
        .hasMessageContaining("pair [from, to] of two quantities");
    ObjectNode version = versionOne();
    version.put("protocol", 3);
    assertThatThrownBy(() -> Wire.declaration(version)).isInstanceOf(WireException.class)
        .hasMessageContaining("protocol must be 1 or 2, got 3");
  }
}
