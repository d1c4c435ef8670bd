package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Which platforms the golden module's ONNX adapter can load on: ONNX Runtime's Java jar carries
 * its natives under {@code ai/onnxruntime/native/<os>-<arch>/}, and its loader picks the
 * directory of the running JVM. The README's platform table says the same: 1.28.0 has Linux
 * x86_64 and arm64, macOS arm64 and Windows x86_64, and no macOS x86_64 (no longer shipped
 * upstream). A new ONNX Runtime that changes the set fails here until the table is updated.
 */
class OnnxRuntimeNativesTest {
  @Test
  void theJarCarriesTheNativesOfTheFourPlatformsTheReadmeNames() throws Exception {
    Path jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    Map<String, Set<String>> libraries = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        String[] parts = e.getName().split("/");
        // ai/onnxruntime/native/<platform>/<library>: the libraries themselves, not debug symbols
        if (parts.length == 5 && e.getName().startsWith("ai/onnxruntime/native/")) {
          libraries.computeIfAbsent(parts[3], p -> new TreeSet<>()).add(parts[4]);
        }
      }
    }
    assertThat(libraries).as("ai/onnxruntime/native/ in " + jar).containsOnlyKeys(
        "linux-x64", "linux-aarch64", "osx-aarch64", "win-x64");
    // Each platform has the runtime and the JNI bridge the Java loader asks for.
    assertThat(libraries.get("linux-x64"))
        .contains("libonnxruntime.so", "libonnxruntime4j_jni.so");
    assertThat(libraries.get("linux-aarch64"))
        .contains("libonnxruntime.so", "libonnxruntime4j_jni.so");
    assertThat(libraries.get("osx-aarch64"))
        .contains("libonnxruntime.dylib", "libonnxruntime4j_jni.dylib");
    assertThat(libraries.get("win-x64")).contains("onnxruntime.dll", "onnxruntime4j_jni.dll");
  }
}
