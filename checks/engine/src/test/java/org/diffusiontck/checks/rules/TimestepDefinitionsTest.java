package org.diffusiontck.checks.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class TimestepDefinitionsTest {
  /**
   * SECTIONS against known answers: {@code timesteps/sections-kat.json}, written by {@code
   * spec/timesteps/make_kat.py} from improved-diffusion's stated definition in Python (the same
   * file holds the reference's {@code Timesteps.sections}).
   */
  @Test
  void sectionsMatchTheKnownAnswers() throws IOException {
    JsonNode cases;
    try (InputStream in =
        TimestepDefinitionsTest.class.getResourceAsStream("/timesteps/sections-kat.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
    assertThat(cases).hasSizeGreaterThan(10);
    for (JsonNode c : cases) {
      int[] expected = new int[c.get("timesteps").size()];
      for (int k = 0; k < expected.length; k++) {
        expected[k] = c.get("timesteps").get(k).asInt();
      }
      assertThat(TimestepDefinitions.sections(c.get("T").asInt(), c.get("sections").asText()))
          .as("T = %s, sections '%s'", c.get("T"), c.get("sections").asText())
          .containsExactly(expected);
    }
  }
}
