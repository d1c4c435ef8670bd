package org.diffusiontck.golden.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.diffusiontck.checks.io.Npy;
import org.diffusiontck.checks.io.WholeFile;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The files of golden records and candidates: float64 {@code .npy} arrays (checks' {@link Npy})
 * and JSON with snake_case keys. A bad file is an {@link IllegalArgumentException} naming it.
 */
public final class RecordFiles {
  /** The JSON of manifests, metrics and candidates: snake_case keys, indented, NaN as strings. */
  public static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private RecordFiles() {}

  /** Reads a float64 C-order {@code .npy} file as a DOUBLE tensor. */
  public static INDArray readNpy(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Npy.Array a = Npy.read(in);
      return Nd4j.create(a.data(), a.shape(), 'c');
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("file " + file + " is missing", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code x} as a float64 C-order {@code .npy} file, creating its directory. */
  public static void writeNpy(Path file, INDArray x) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    WholeFile.write(file, out -> Npy.write(out,
        new Npy.Array(x.shape(), x.dup('c').data().asDouble())));
  }

  /** Reads a JSON file into {@code type}. */
  public static <T> T readJson(Path file, Class<T> type) throws IOException {
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("file " + file + " is not a valid "
          + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException("file " + file + " is missing", e);
    }
  }

  /** Writes {@code value} as JSON, with a final newline, creating the directory. */
  public static void writeJson(Path file, Object value) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    WholeFile.writeString(file, JSON.writeValueAsString(value) + "\n");
  }
}
