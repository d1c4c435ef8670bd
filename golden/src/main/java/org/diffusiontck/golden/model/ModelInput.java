package org.diffusiontck.golden.model;

import org.diffusiontck.reference.param.Prediction;

/**
 * How an exported network is called, and what it returns.
 *
 * @param sampleInput the name of the x_t input, float32 or float16 [B, C, H, W]
 * @param timestepInput the name of the timestep input, [B] or a scalar
 * @param output the name of the output, x_t's shape
 * @param timestep what number the timestep input carries for the papers' t
 * @param timestepType the timestep input's element type ("int64", "int32", "float32", "float16",
 *     "float64"), or "auto" for the type the model declares
 * @param prediction what the output means: ε, x_0 or v
 */
public record ModelInput(
    String sampleInput,
    String timestepInput,
    String output,
    ModelTimestep timestep,
    String timestepType,
    Prediction prediction) {
  /** The common export (diffusers and Optimum): sample, timestep (0-based index), out_sample; ε. */
  public static final ModelInput COMMON_EXPORT =
      new ModelInput("sample", "timestep", "out_sample", ModelTimestep.ZERO_BASED_INDEX, "auto",
          Prediction.EPSILON);

  public ModelInput {
    if (sampleInput == null || timestepInput == null || output == null || timestep == null
        || timestepType == null || prediction == null) {
      throw new IllegalArgumentException("model input settings must not be null, got sample "
          + sampleInput + ", timestep " + timestepInput + ", output " + output + ", convention "
          + timestep + ", timestep type " + timestepType + ", prediction " + prediction);
    }
  }
}
