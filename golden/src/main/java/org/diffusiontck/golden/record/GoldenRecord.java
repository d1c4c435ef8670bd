package org.diffusiontck.golden.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A golden record on disk: its manifest, checked against the SHA-256 of every file it lists before
 * anything is read. A missing or changed file is an {@link IllegalArgumentException} naming it.
 */
public final class GoldenRecord {
  private final Path dir;
  private final Manifest manifest;

  private GoldenRecord(Path dir, Manifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /**
   * Opens the record in {@code dir}.
   *
   * @throws IllegalArgumentException if the manifest is missing or invalid, or a file it lists is
   *     missing or has another SHA-256 (tampered with, or damaged)
   */
  public static GoldenRecord open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("golden record " + dir + " is not a directory");
    }
    Path manifestFile = dir.resolve(Manifest.FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new IllegalArgumentException("golden record " + dir + " has no " + Manifest.FILE);
    }
    Manifest manifest = RecordFiles.readJson(manifestFile, Manifest.class);
    if (manifest.format() != Manifest.FORMAT || manifest.files() == null
        || manifest.samplers() == null || manifest.evaluation() == null) {
      throw new IllegalArgumentException("golden record " + dir + ": " + Manifest.FILE
          + " must be format " + Manifest.FORMAT + " with files, samplers and evaluation");
    }
    for (Map.Entry<String, String> e : manifest.files().entrySet()) {
      Path file = RecordPath.inside(dir, e.getKey(), "the manifest's file");
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("golden file " + e.getKey() + " is missing from "
            + dir);
      }
      String actual = Sha256.of(file);
      if (!actual.equals(e.getValue())) {
        throw new IllegalArgumentException("golden file " + e.getKey() + " in " + dir
            + " has SHA-256 " + actual + ", the manifest records " + e.getValue()
            + " (changed since it was recorded)");
      }
    }
    return new GoldenRecord(dir, manifest);
  }

  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  /** The samples of one sampler, [S, C, H, W]. */
  public INDArray samples(SamplerSpec sampler) throws IOException {
    return read(sampler.file());
  }

  /** The per-timestep denoising loss, [T]. */
  public INDArray loss() throws IOException {
    return read(manifest.evaluation().loss());
  }

  /** The evaluation batch, [B, C, H, W]. */
  public INDArray evaluationBatch() throws IOException {
    return read(manifest.evaluation().file());
  }

  /** The bound and the mean loss. */
  public Metrics metrics() throws IOException {
    return RecordFiles.readJson(listed(manifest.evaluation().metrics()), Metrics.class);
  }

  private INDArray read(String relative) throws IOException {
    return RecordFiles.readNpy(listed(relative));
  }

  /** A file the manifest lists (so its hash was checked). */
  private Path listed(String relative) {
    if (!manifest.files().containsKey(relative)) {
      throw new IllegalArgumentException("golden record " + dir + ": " + relative
          + " is not among the files its manifest lists");
    }
    return RecordPath.inside(dir, relative, "the file");
  }
}
