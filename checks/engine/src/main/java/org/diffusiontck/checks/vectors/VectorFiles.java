package org.diffusiontck.checks.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.diffusiontck.checks.impl.Dtype;
import org.diffusiontck.checks.io.WholeFile;
import org.diffusiontck.checks.rules.Tolerance;
import org.diffusiontck.checks.wire.Wire;
import org.diffusiontck.checks.wire.WireException;

/**
 * The case files of {@code spec/vectors/}: one JSON file per rule family ({@code post.json} for
 * POST-1, POST-2…) holding one case per line, and {@code manifest.json} with each file's SHA-256.
 * Rendering is deterministic, so regenerated files can be compared byte for byte.
 */
public final class VectorFiles {
  /** Changes only when the meaning of a field of the files changes. */
  public static final int FORMAT_VERSION = 1;

  public static final String MANIFEST = "manifest.json";

  private VectorFiles() {}

  /** File name → content of every case file and the manifest. */
  public static Map<String, String> render(List<VectorCase> cases) {
    Map<String, List<VectorCase>> byFamily = new LinkedHashMap<>();
    for (VectorCase c : cases) {
      byFamily.computeIfAbsent(c.family(), k -> new ArrayList<>()).add(c);
    }
    Map<String, String> files = new LinkedHashMap<>();
    StringBuilder manifest = new StringBuilder("{\n  \"formatVersion\": " + FORMAT_VERSION
        + ",\n  \"about\": \"The Diffusion TCK's test vectors (spec/VECTORS.md): the reference's "
        + "answers to the rules' cases. Regenerate with ./tck vectors --out spec/vectors.\",\n"
        + "  \"files\": [\n");
    List<String> entries = new ArrayList<>();
    for (Map.Entry<String, List<VectorCase>> e : byFamily.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT) + ".json";
      String content = file(e.getKey(), e.getValue());
      files.put(name, content);
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      ObjectNode entry = Wire.mapper().createObjectNode();
      entry.put("file", name);
      entry.put("family", e.getKey());
      entry.putPOJO("rules", e.getValue().stream().map(VectorCase::rule).distinct().toList());
      entry.put("cases", e.getValue().size());
      entry.put("bytes", bytes.length);
      entry.put("sha256", sha256(bytes));
      entries.add("    " + Wire.write(entry));
    }
    manifest.append(String.join(",\n", entries)).append("\n  ]\n}\n");
    files.put(MANIFEST, manifest.toString());
    return files;
  }

  private static String file(String family, List<VectorCase> cases) {
    StringBuilder b = new StringBuilder("{\n  \"formatVersion\": " + FORMAT_VERSION + ",\n"
        + "  \"family\": \"" + family + "\",\n  \"cases\": [\n");
    List<String> lines = new ArrayList<>();
    for (VectorCase c : cases) {
      lines.add("    " + Wire.write(node(c)));
    }
    return b.append(String.join(",\n", lines)).append("\n  ]\n}\n").toString();
  }

  private static ObjectNode node(VectorCase c) {
    ObjectNode n = Wire.mapper().createObjectNode();
    n.put("rule", c.rule());
    ObjectNode conventions = n.putObject("conventions");
    c.conventions().forEach(conventions::put);
    n.set("request", c.request());
    ObjectNode expected = n.putObject("expected");
    if (c.refusal()) {
      expected.put("error", c.error());
    } else {
      expected.set("result", c.result());
      ObjectNode tolerance = n.putObject("tolerance");
      for (Dtype d : Dtype.values()) {
        Tolerance t = c.tolerances().get(d);
        tolerance.putObject(d.label()).put("abs", t.abs()).put("rel", t.rel());
      }
    }
    return n;
  }

  /** Writes the rendered files into {@code dir} (created if needed); removes stale case files. */
  public static void write(Path dir, Map<String, String> files) throws IOException {
    Files.createDirectories(dir);
    for (Path stale : caseFiles(dir)) {
      if (!files.containsKey(stale.getFileName().toString())) {
        Files.delete(stale);
      }
    }
    for (Map.Entry<String, String> e : files.entrySet()) {
      WholeFile.writeString(dir.resolve(e.getKey()), e.getValue());
    }
  }

  /**
   * The cases of {@code dir}, after checking each file against the manifest's SHA-256.
   *
   * @throws IOException if a file is missing, edited (its hash differs) or malformed, or a case file
   *     in {@code dir} is not listed in the manifest (the manifest lists every family that must be
   *     replayed: one left out would silently drop its rules' vectors)
   */
  public static List<VectorCase> read(Path dir) throws IOException {
    JsonNode manifest = parse(dir.resolve(MANIFEST));
    version(manifest, MANIFEST);
    JsonNode files = manifest.get("files");
    if (files == null || !files.isArray() || files.isEmpty()) {
      throw new IOException(dir.resolve(MANIFEST) + " lists no \"files\"");
    }
    Set<String> listed = new LinkedHashSet<>();
    for (JsonNode entry : files) {
      listed.add(field(entry, "file"));
    }
    for (Path p : caseFiles(dir)) {
      if (!listed.contains(p.getFileName().toString())) {
        throw new IOException(p + " is not listed in " + MANIFEST + ", which must list every"
            + " family to replay (edited by hand?): regenerate with ./tck vectors --out " + dir);
      }
    }
    List<VectorCase> out = new ArrayList<>();
    for (JsonNode entry : files) {
      String name = field(entry, "file");
      Path file = dir.resolve(name);
      if (!file.normalize().getParent().equals(dir.normalize()) || !Files.isRegularFile(file)) {
        throw new IOException(MANIFEST + " lists " + name + ", which is not a file in " + dir);
      }
      byte[] bytes = Files.readAllBytes(file);
      if (!sha256(bytes).equals(field(entry, "sha256"))) {
        throw new IOException(file + " does not match its SHA-256 in " + MANIFEST
            + " (edited by hand?): regenerate with ./tck vectors --out " + dir);
      }
      JsonNode root = parse(file);
      version(root, name);
      JsonNode cases = root.get("cases");
      if (cases == null || !cases.isArray()) {
        throw new IOException(file + " has no \"cases\" list");
      }
      for (int i = 0; i < cases.size(); i++) {
        String where = file + ", case " + i;
        String nan = Wire.firstNaN(cases.get(i), "case");
        if (nan != null) {
          throw new IOException(where + ": NaN at " + nan + " (a vector holds no NaN)");
        }
        try {
          out.add(caseOf(cases.get(i)));
        } catch (RuntimeException e) {
          throw new IOException(where + " is malformed (a field is missing or of the wrong"
              + " type): " + Wire.cut(cases.get(i).toString()), e);
        }
      }
    }
    return out;
  }

  /** The text of a manifest entry's field; an IOException names it when it is missing. */
  private static String field(JsonNode entry, String key) throws IOException {
    JsonNode v = entry.get(key);
    if (v == null || !v.isTextual()) {
      throw new IOException(MANIFEST + ": an entry of \"files\" has no \"" + key + "\": "
          + Wire.cut(entry.toString()));
    }
    return v.asText();
  }

  private static VectorCase caseOf(JsonNode c) {
    Map<String, String> conventions = new TreeMap<>();
    c.get("conventions").fields().forEachRemaining(e -> conventions.put(e.getKey(),
        e.getValue().asText()));
    JsonNode expected = c.get("expected");
    Map<Dtype, Tolerance> tolerances = new EnumMap<>(Dtype.class);
    JsonNode tol = c.get("tolerance");
    if (tol != null) {
      for (Dtype d : Dtype.values()) {
        JsonNode t = tol.get(d.label());
        tolerances.put(d, new Tolerance(t.get("abs").asDouble(), t.get("rel").asDouble(),
            VectorCase.WHY));
      }
    }
    return new VectorCase(c.get("rule").asText(), conventions, (ObjectNode) c.get("request"),
        expected.get("result"), expected.has("error") ? expected.get("error").asText() : null,
        tolerances);
  }

  /**
   * The differences between the files in {@code dir} and {@code expected} (file name → content);
   * empty when they agree. Files that are not byte-identical are compared as JSON: every number
   * within {@value #DRIFT} relative (and tolerances within a factor 2), which absorbs last-bit
   * differences of the reference between machines but no change of meaning.
   */
  public static List<String> differences(Path dir, Map<String, String> expected)
      throws IOException {
    List<String> out = new ArrayList<>();
    Set<String> present = new LinkedHashSet<>();
    for (Path p : caseFiles(dir)) {
      present.add(p.getFileName().toString());
    }
    if (Files.exists(dir.resolve(MANIFEST))) {
      present.add(MANIFEST);
    }
    for (String name : present) {
      if (!expected.containsKey(name)) {
        out.add(name + ": not produced by the reference any more");
      }
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String name = e.getKey();
      if (!present.contains(name)) {
        out.add(name + ": missing");
        continue;
      }
      String committed = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
      if (committed.equals(e.getValue()) || name.equals(MANIFEST)) {
        continue;
      }
      List<String> diffs = new ArrayList<>();
      compare(Wire.parse(committed), Wire.parse(e.getValue()), "", null, diffs);
      diffs.stream().limit(5).forEach(d -> out.add(name + ": " + d));
      if (diffs.size() > 5) {
        out.add(name + ": … " + (diffs.size() - 5) + " more differences");
      }
    }
    if (out.isEmpty() && present.contains(MANIFEST)) {
      try {
        read(dir);
      } catch (IOException | RuntimeException ex) {
        out.add(MANIFEST + ": " + ex.getMessage());
      }
    }
    return out;
  }

  /** The files of {@code expected} that {@code dir} holds with other bytes. */
  public static List<String> notByteIdentical(Path dir, Map<String, String> expected)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path p = dir.resolve(e.getKey());
      if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** Relative drift allowed between committed and regenerated numbers outside the results. */
  static final double DRIFT = 1e-12;

  private static void compare(JsonNode a, JsonNode b, String path, Tolerance caseTolerance,
      List<String> diffs) {
    if (a.isObject() && a.has("rule") && a.has("expected")) {
      JsonNode t = a.path("tolerance").path(Dtype.FLOAT64.label());
      caseTolerance = t.isMissingNode() ? null
          : new Tolerance(t.get("abs").asDouble() / 10, t.get("rel").asDouble() / 10, "check");
    }
    if (a.isNumber() && b.isNumber()) {
      double x = a.asDouble();
      double y = b.asDouble();
      boolean ok;
      if (path.contains(".tolerance.")) {
        ok = (x == 0 && y == 0) || (x > 0 && y > 0 && x / y <= 2 && y / x <= 2);
      } else if (path.contains(".expected.") && caseTolerance != null) {
        ok = caseTolerance.ratio(x, y) <= 1;
      } else {
        ok = x == y || Math.abs(x - y) <= DRIFT * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
      }
      if (!ok) {
        diffs.add(path + ": committed " + x + ", regenerated " + y);
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        compare(a.get(i), b.get(i), path + "[" + i + "]", caseTolerance, diffs);
      }
    } else if (a.isObject() && b.isObject() && a.size() == b.size()) {
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!b.has(k)) {
          diffs.add(path + "." + k + ": not regenerated");
        } else {
          compare(a.get(k), b.get(k), path + "." + k, caseTolerance, diffs);
        }
      }
    } else if (!a.equals(b)) {
      diffs.add(path + ": committed " + Wire.cut(a.toString()) + ", regenerated "
          + Wire.cut(b.toString()));
    }
  }

  private static List<Path> caseFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".json")
          && !p.getFileName().toString().equals(MANIFEST)).sorted().collect(Collectors.toList());
    }
  }

  private static JsonNode parse(Path file) throws IOException {
    try {
      return Wire.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (WireException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void version(JsonNode root, String name) throws IOException {
    int v = root.path("formatVersion").asInt(-1);
    if (v != FORMAT_VERSION) {
      throw new IOException(name + " has format version " + v + "; this kit reads version "
          + FORMAT_VERSION);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
