package org.diffusiontck.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.diffusiontck.golden.model.ModelInput;
import org.diffusiontck.golden.model.ModelTimestep;
import org.diffusiontck.golden.model.OnnxModel;
import org.diffusiontck.golden.model.RuntimeOptions;
import org.diffusiontck.golden.record.RecordFiles;
import org.diffusiontck.reference.Tensors;
import org.diffusiontck.reference.param.Prediction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The ONNX adapter against PyTorch: golden/src/test/resources/torch-io.npy holds a fixed input
 * [4, 1, 8, 8] and the PyTorch model's float32 output at the 0-based timestep indices 0, 250, 500
 * and 999 (written by golden/train/pytorch_candidate.py from the same weights as the export).
 */
class OnnxModelTest {
  private static final int[] TORCH_INDEX = {0, 250, 500, 999};
  /**
   * Two float32 implementations of one network (PyTorch's ATen against ONNX Runtime's MLAS)
   * differ by their rounding: about ten layers whose dot products have at most 288 terms, each
   * off by about √288 · 2^−24 of the sum of their magnitudes (≲ 10), so ≲ 1e-5 per layer;
   * 1e-4 for the network.
   */
  private static final double FLOAT32_IMPLEMENTATIONS = 1e-4;

  private static INDArray input;
  private static INDArray torchOutput;

  @BeforeAll
  static void fixture() throws Exception {
    Tensors.useDoubles();
    INDArray io = RecordFiles.readNpy(Path.of("src/test/resources/torch-io.npy"));
    input = io.get(NDArrayIndex.point(0)).dup('c');
    torchOutput = io.get(NDArrayIndex.point(1)).dup('c');
  }

  @Test
  void theCommonExportMatchesPyTorch() {
    try (OnnxModel m = OnnxModel.open(Repo.CHECKPOINT, ModelInput.COMMON_EXPORT,
        RuntimeOptions.DEFAULT)) {
      int[] t = Arrays.stream(TORCH_INDEX).map(i -> i + 1).toArray();
      INDArray out = m.predict(input, t);
      assertThat(out.shape()).containsExactly(4, 1, 8, 8);
      assertThat(maxAbs(out, torchOutput)).isLessThan(FLOAT32_IMPLEMENTATIONS);
      assertThat(m.prediction()).isEqualTo(Prediction.EPSILON);
      assertThat(m.environment().key()).isEqualTo("cpu-float32");
    }
  }

  /**
   * Under PAPER_T the model is given t itself: t = 250 reaches PyTorch's index 250; one step off
   * is visible above float32's differences.
   */
  @Test
  void paperTimestepsPassTAsIs() {
    ModelInput paper = new ModelInput("sample", "timestep", "out_sample", ModelTimestep.PAPER_T,
        "auto", Prediction.EPSILON);
    try (OnnxModel m = OnnxModel.open(Repo.CHECKPOINT, paper, RuntimeOptions.DEFAULT)) {
      INDArray rows = input.get(NDArrayIndex.interval(1, 4)).dup('c');
      INDArray out = m.predict(rows, new int[] {250, 500, 999});
      assertThat(maxAbs(out, torchOutput.get(NDArrayIndex.interval(1, 4))))
          .isLessThan(FLOAT32_IMPLEMENTATIONS);
      INDArray offByOne = m.predict(rows, new int[] {251, 501, 1000});
      assertThat(maxAbs(offByOne, out)).isGreaterThan(10 * FLOAT32_IMPLEMENTATIONS);
    }
  }

  /**
   * The float16 export (the same graph behind float16 input and output): on inputs that float16
   * holds exactly (k/64, |k| ≤ 96), its output is the float32 output rounded to float16, within
   * half an ulp, 2^−11 relative (2^−25 absolute below float16's normal range).
   */
  @Test
  void float16InputAndOutputRoundAsFloat16Does() {
    double[] k = new double[2 * 64];
    for (int i = 0; i < k.length; i++) {
      k[i] = (i % 193 - 96) / 64.0;
    }
    INDArray x = Nd4j.create(k, new long[] {2, 1, 8, 8}, 'c');
    int[] t = {10, 900};
    try (OnnxModel full = OnnxModel.open(Repo.CHECKPOINT, ModelInput.COMMON_EXPORT,
            RuntimeOptions.DEFAULT);
        OnnxModel half = OnnxModel.open(Repo.CHECKPOINT_FP16_IO, ModelInput.COMMON_EXPORT,
            RuntimeOptions.DEFAULT)) {
      assertThat(half.environment().key()).isEqualTo("cpu-float16");
      double[] a = full.predict(x, t).data().asDouble();
      double[] b = half.predict(x, t).data().asDouble();
      int rounded = 0;
      for (int i = 0; i < a.length; i++) {
        assertThat(Math.abs(b[i] - a[i])).as("output " + i)
            .isLessThanOrEqualTo(Math.scalb(Math.abs(a[i]), -11) + Math.scalb(1.0, -25));
        rounded += b[i] != a[i] ? 1 : 0;
      }
      assertThat(rounded).as("outputs changed by float16 rounding").isGreaterThan(a.length / 2);
    }
  }

  @Test
  void aMissingInputIsAnErrorListingTheModelsInputs() {
    ModelInput wrong = new ModelInput("x", "timestep", "out_sample",
        ModelTimestep.ZERO_BASED_INDEX, "auto", Prediction.EPSILON);
    assertThatThrownBy(() -> OnnxModel.open(Repo.CHECKPOINT, wrong, RuntimeOptions.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no tensor input 'x'")
        .hasMessageContaining("'sample' float32").hasMessageContaining("'timestep' int64");
  }

  @Test
  void aTimestepTypeOtherThanDeclaredIsAnError() {
    ModelInput f32 = new ModelInput("sample", "timestep", "out_sample",
        ModelTimestep.ZERO_BASED_INDEX, "float32", Prediction.EPSILON);
    assertThatThrownBy(() -> OnnxModel.open(Repo.CHECKPOINT, f32, RuntimeOptions.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is declared int64, not float32");
  }

  @Test
  void aMissingFileIsAnError() {
    assertThatThrownBy(() -> OnnxModel.open(Path.of("nowhere.onnx"), ModelInput.COMMON_EXPORT,
        RuntimeOptions.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nowhere.onnx does not exist");
  }

  private static double maxAbs(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }
}
