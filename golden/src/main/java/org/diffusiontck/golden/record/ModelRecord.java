package org.diffusiontck.golden.record;

import org.diffusiontck.golden.model.ModelInput;

/**
 * The model a record was made with.
 *
 * @param spec its name: a path relative to the record, {@code oracle:<name>} or {@code
 *     process:<command line>}
 * @param sha256 the SHA-256 of the ONNX file (null for an oracle or a process)
 * @param input how the network is called (null for an oracle, which predicts ε, and for a process,
 *     which declares what it predicts)
 */
public record ModelRecord(String spec, String sha256, ModelInput input) {}
