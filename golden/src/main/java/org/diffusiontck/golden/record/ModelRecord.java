package org.diffusiontck.golden.record;

import org.diffusiontck.golden.model.ModelInput;

/**
 * The model a record was made with.
 *
 * @param spec its name: a path relative to the record, or {@code oracle:<name>}
 * @param sha256 the SHA-256 of the ONNX file (null for an oracle)
 * @param input how the network is called (null for an oracle, which predicts ε)
 */
public record ModelRecord(String spec, String sha256, ModelInput input) {}
